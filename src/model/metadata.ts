// The metadata file (`metadata.json`) that sits beside `model.json`: everything needed to use a
// model correctly (labels in output order, the exact feature parameters, normalisation) and to
// judge it (data card, held-out metrics). Validated on load so a stale or hand-edited file fails
// at startup with a precise message instead of producing silently wrong predictions.
import { z } from 'zod';
import type { MfccOptions } from '../features/mfcc.js';
import { NORMALISATION_KINDS } from './segments.js';

export const METADATA_FILE = 'metadata.json';
export const METADATA_FORMAT = 'music-prediction/genre-model@1';

const positiveInt = z.number().int().positive();

export const featureParamsSchema = z
  .object({
    sampleRate: positiveInt,
    nFft: positiveInt,
    hopLength: positiveInt,
    nMels: positiveInt,
    nMfcc: positiveInt,
    lifter: z.number().min(0),
    fmin: z.number().min(0),
    fmax: z.number().positive(),
    /** Frames per CNN input segment (≈ 3 s) and the hop between segment starts. */
    segmentFrames: positiveInt,
    segmentHopFrames: positiveInt,
    /** Seconds decoded from the start of a clip, as in serving (MAX_AUDIO_SECONDS). */
    clipSeconds: z.number().positive(),
  })
  .refine((f) => f.nMfcc <= f.nMels, { message: 'nMfcc must be ≤ nMels' })
  .refine((f) => f.fmax <= f.sampleRate / 2 && f.fmin < f.fmax, { message: 'need fmin < fmax ≤ sampleRate / 2' });
export type FeatureParams = z.infer<typeof featureParamsSchema>;

/**
 * The MFCC options of decoded audio under a model's feature parameters: the one mapping that
 * training (features.ts), serving (predict-audio.ts) and the predict CLI share, so no caller can
 * leave a parameter behind and compute features the model was not trained on.
 */
export function mfccOptionsFor({ features, samples, sampleRate }: { features: FeatureParams; samples: Float32Array; sampleRate: number }): MfccOptions {
  const { nFft, hopLength, nMels, nMfcc, lifter, fmin, fmax } = features;
  return { samples, sampleRate, nFft, hopLength, nMels, nMfcc, lifter, fmin, fmax };
}

/** The bundled model's front end: librosa defaults (sr 22050, n_fft 2048, hop 512, 128 mels) and the
 * original's 13 coefficients; 130 frames ≈ 3.02 s per segment, 50 % overlap. */
export const DEFAULT_FEATURES: FeatureParams = {
  sampleRate: 22050, nFft: 2048, hopLength: 512, nMels: 128, nMfcc: 13, lifter: 0, fmin: 0, fmax: 11025,
  segmentFrames: 130, segmentHopFrames: 65, clipSeconds: 30,
};

const countsSchema = z.record(z.string(), z.number().int().min(0));

const classMetricsSchema = z.object({ precision: z.number(), recall: z.number(), f1: z.number(), support: z.number().int() });
export const metricsSchema = z.object({
  clips: z.number().int().min(0),
  accuracy: z.number(),
  balancedAccuracy: z.number(),
  macroF1: z.number(),
  perClass: z.record(z.string(), classMetricsSchema),
  /** confusion[actual][predicted], rows and columns in label order. */
  confusion: z.array(z.array(z.number().int().min(0))),
});
export type MetricsSummary = z.infer<typeof metricsSchema>;

export const metadataSchema = z
  .object({
    format: z.literal(METADATA_FORMAT),
    name: z.string().regex(/^[\w.-]+$/, 'name: letters, digits, . _ - only'),
    version: z.string().min(1),
    createdAt: z.iso.datetime(),
    labels: z.array(z.string().min(1)).min(2),
    features: featureParamsSchema,
    normalisation: z.object({
      // 'per-coefficient-centred': after scaling, each segment's per-coefficient time mean is
      // subtracted (cepstral mean normalisation per segment; segments.ts says why);
      // 'per-coefficient-standardised' also divides by its (floored) standard deviation
      // ('…-timbre': c1 and up only).
      kind: z.enum(NORMALISATION_KINDS),
      mean: z.array(z.number()),
      std: z.array(z.number().positive()),
    }),
    architecture: z.string().min(1),
    training: z.record(z.string(), z.unknown()).default({}),
    dataCard: z.object({
      description: z.string(),
      clipsPerGenre: countsSchema,
      sources: z.array(
        z.object({ name: z.string(), licence: z.string().default('unknown'), clipsPerGenre: countsSchema, role: z.enum(['train', 'validation', 'held-out']) }),
      ),
      licences: z.array(z.string()).default([]),
    }),
    metrics: z.object({ validation: metricsSchema.optional(), heldOut: metricsSchema.optional() }).default({}),
  })
  .superRefine((m, ctx) => {
    if (new Set(m.labels).size !== m.labels.length) ctx.addIssue({ code: 'custom', path: ['labels'], message: 'labels must be unique' });
    for (const key of ['mean', 'std'] as const) {
      if (m.normalisation[key].length !== m.features.nMfcc) {
        ctx.addIssue({ code: 'custom', path: ['normalisation', key], message: `needs ${m.features.nMfcc} values (nMfcc), got ${m.normalisation[key].length}` });
      }
    }
  });
export type GenreModelMetadata = z.infer<typeof metadataSchema>;

/** Parses untrusted JSON; throws an Error listing every problem (the loader wraps it). */
export function parseMetadata(json: unknown): GenreModelMetadata {
  const parsed = metadataSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
  }
  return parsed.data;
}
