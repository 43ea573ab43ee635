// The metadata file (`metadata.json`) that sits beside `model.json`: everything needed to use a
// model correctly (labels in output order, the exact feature parameters, normalisation) and to
// judge it (data card, held-out metrics). Validated on load so a stale or hand-edited file fails
// at startup with a precise message instead of producing silently wrong predictions.
import { z } from 'zod';
import { RESAMPLERS } from '../../audio/decode-arguments.js';
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
    /** Seconds decoded from the start of a clip; serving never reads more (MAX_AUDIO_SECONDS only lowers it). */
    clipSeconds: z.number().positive(),
    /** Fewer decoded seconds than this is AUDIO_TOO_SHORT (fewer frames than a segment are padded). */
    minSeconds: z.number().positive().default(1),
    /** ffmpeg's resampler: it changes the samples, so it is part of what the network was trained on.
     * 'auto' = soxr when the ffmpeg build has it (closest to librosa), else swr. */
    resampler: z.enum(RESAMPLERS).default('auto'),
  })
  .refine((f) => f.minSeconds <= f.clipSeconds, { message: 'need minSeconds ≤ clipSeconds' })
  .refine((f) => f.nMfcc <= f.nMels, { message: 'nMfcc must be ≤ nMels' })
  .refine((f) => f.fmax <= f.sampleRate / 2 && f.fmin < f.fmax, { message: 'need fmin < fmax ≤ sampleRate / 2' });
export type FeatureParams = z.infer<typeof featureParamsSchema>;

/** The front end `train` records unless told otherwise, the only place these defaults live:
 * librosa defaults (sr 22050, n_fft 2048, hop 512, 128 mels), 13 coefficients, 130 frames ≈ 3.02 s
 * per segment, scored without overlap (hop 130, as the bundled model). */
export const DEFAULT_FEATURES: FeatureParams = {
  sampleRate: 22050, nFft: 2048, hopLength: 512, nMels: 128, nMfcc: 13, lifter: 0, fmin: 0, fmax: 11025,
  segmentFrames: 130, segmentHopFrames: 130, clipSeconds: 30, minSeconds: 1, resampler: 'auto',
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

// 'per-coefficient-centred': after scaling, each segment's per-coefficient time mean is subtracted
// (cepstral mean normalisation per segment; segments.ts says why); 'per-coefficient-standardised'
// also divides by its (floored) standard deviation ('…-timbre': c1 and up only).
const normalisationSchema = z.object({
  kind: z.enum(NORMALISATION_KINDS),
  mean: z.array(z.number()),
  std: z.array(z.number().positive()),
});

/** Applied by serving to the clip's mean probabilities (calibration.ts): a temperature fitted on
 * held-out sources, and the otherScore from which an answer is flagged `uncertain`. */
const calibrationSchema = z.object({
  temperature: z.number().positive().max(100),
  otherThreshold: z.number().min(0).max(1).optional(),
  /** How they were fitted and what they measured (free-form, for people). */
  fittedOn: z.string().optional(),
  report: z.record(z.string(), z.unknown()).optional(),
});

/** One network of a model made of several: its own folder (model.json + weights.bin) inside the
 * model directory and its own input normalisation. The model's output is the mean of the members'. */
const memberSchema = z.object({
  path: z.string().regex(/^[\w-][\w.-]*$/, 'path: a folder name inside the model directory (letters, digits, . _ -)'),
  normalisation: normalisationSchema,
  architecture: z.string().min(1),
  training: z.record(z.string(), z.unknown()).default({}),
});
export type MemberMetadata = z.infer<typeof memberSchema>;

/** The model's claim on music from sources it never heard: networks trained with its recipe on
 * folds that each hold out whole sources, pooled over seeds (scripts/cross-source/score.ts RECORD=). */
export const heldOutSourcesSchema = z.object({
  description: z.string(),
  command: z.string(),
  windowsPerSeed: z.number().int().min(0),
  balancedAccuracyBySeed: z.array(z.number()),
  balancedAccuracy: z.number(),
  recall: z.record(z.string(), z.number()),
  /** Expected calibration error of the shown certainty, before and after the model's temperature. */
  calibrationError: z.object({ before: z.number(), after: z.number() }),
  /** Windows flagged `uncertain` at the model's threshold: music that is none of the genres, and the genres'. */
  uncertain: z.object({ otherFlagged: z.number(), genreFlagged: z.number() }),
});

export const metadataSchema = z
  .object({
    format: z.literal(METADATA_FORMAT),
    name: z.string().regex(/^[\w.-]+$/, 'name: letters, digits, . _ - only'),
    version: z.string().min(1),
    createdAt: z.iso.datetime(),
    labels: z.array(z.string().min(1)).min(2),
    features: featureParamsSchema,
    /** A one-network model: its normalisation (its network is model.json in the directory itself). */
    normalisation: normalisationSchema.optional(),
    /** A model of several networks (exclusive with `normalisation`): one entry per member folder. */
    members: z.array(memberSchema).min(2).optional(),
    architecture: z.string().min(1),
    training: z.record(z.string(), z.unknown()).default({}),
    dataCard: z.object({
      description: z.string(),
      clipsPerGenre: countsSchema,
      sources: z.array(
        z.object({
          name: z.string(), licence: z.string().default('unknown'), clipsPerGenre: countsSchema, role: z.enum(['train', 'validation', 'held-out']),
          minutesPerGenre: z.record(z.string(), z.number().min(0)).optional(),
        }),
      ),
      licences: z.array(z.string()).default([]),
    }),
    metrics: z.object({ validation: metricsSchema.optional(), heldOut: metricsSchema.optional(), heldOutSources: heldOutSourcesSchema.optional() }).default({}),
    /** The output (one of `labels`) trained on music that is none of the genres: serving reports it
     * as `otherScore` and ranks the other labels without it. Absent: every output is a genre. */
    otherLabel: z.string().min(1).optional(),
    calibration: calibrationSchema.optional(),
  })
  .superRefine((m, ctx) => {
    if (new Set(m.labels).size !== m.labels.length) ctx.addIssue({ code: 'custom', path: ['labels'], message: 'labels must be unique' });
    if (m.otherLabel !== undefined && !m.labels.includes(m.otherLabel)) {
      ctx.addIssue({ code: 'custom', path: ['otherLabel'], message: `must be one of the labels (${m.labels.join(', ')})` });
    }
    if (m.otherLabel !== undefined && m.labels.length < 3) ctx.addIssue({ code: 'custom', path: ['labels'], message: 'an otherLabel needs two more labels besides it' });
    if (m.calibration?.otherThreshold !== undefined && m.otherLabel === undefined) {
      ctx.addIssue({ code: 'custom', path: ['calibration', 'otherThreshold'], message: 'needs an otherLabel' });
    }
    if ((m.normalisation === undefined) === (m.members === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['normalisation'], message: 'give either normalisation (one network) or members (several), not both or neither' });
    }
    if (m.members && new Set(m.members.map((x) => x.path)).size !== m.members.length) {
      ctx.addIssue({ code: 'custom', path: ['members'], message: 'member paths must be unique' });
    }
    const normalisations = m.members
      ? m.members.map((x, i) => ({ path: ['members', i, 'normalisation'], n: x.normalisation }))
      : m.normalisation ? [{ path: ['normalisation'], n: m.normalisation }] : [];
    for (const { path, n } of normalisations) {
      for (const key of ['mean', 'std'] as const) {
        if (n[key].length !== m.features.nMfcc) {
          ctx.addIssue({ code: 'custom', path: [...path, key], message: `needs ${m.features.nMfcc} values (nMfcc), got ${n[key].length}` });
        }
      }
    }
  });
export type GenreModelMetadata = z.infer<typeof metadataSchema>;

/** The networks a model directory holds, each with its folder ('.' = the directory itself for a
 * one-network model) and normalisation. */
export function memberSpecs(m: GenreModelMetadata): MemberMetadata[] {
  if (m.members) return m.members;
  return [{ path: '.', normalisation: m.normalisation!, architecture: m.architecture, training: m.training }];
}

/** Parses untrusted JSON; throws an Error listing every problem (the loader wraps it). */
export function parseMetadata(json: unknown): GenreModelMetadata {
  const parsed = metadataSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
  }
  return parsed.data;
}
