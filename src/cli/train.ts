// `music-prediction train --data <tsv-or-folder> --out models/<name>`: its help, and a run that
// hands the parsed arguments (train-args.ts) to the lab's train() (features, seeded training with
// early stopping and a time budget, model directory).
import { loadConfig } from '../config.js';
import { train } from '../lab/train.js';
import { progressBar } from './cli-helpers.js';
import { failureExitCode, type CliCommand, parseCommandLine } from './command.js';
import { parseTrainArgs } from './train-args.js';

const HELP = `Usage: music-prediction train --data <tsv-or-folder> [--data …] --out <dir> [options]

Trains the genre CNN on 3-s MFCC segments (same decode + MFCC code as the service) and writes
model.json, weights.bin and metadata.json (labels, features, normalisation, data card, metrics).

Options:
  --data <path>             TSV manifest (path, genre, group, source; or a header row naming
                            them) or <root>/<genre>/ folder; repeat (or give a,b) to train on
                            several at once (paths relative to each manifest)
  --other-label <name>      add an output <name> trained on the clips whose genre is "other" or
                            "other:<anything>" (music that is none of the labels); serving reports
                            it as otherScore and ranks the labels without it (default: none)
  --n-mfcc <n>              MFCC coefficients the network reads (default 13; the API's image
                            always shows the first 13)
  --windows <n>             30-s windows per long file: a 90-s file gives up to 3 training
                            clips (default 1: the first 30 s only)
  --temperature <t>         calibration temperature stored for serving (fit it on held-out
                            sources; default none)
  --other-threshold <x>     otherScore at which an answer is flagged uncertain (needs
                            --other-label; default none)
  --out <dir>               output model directory (e.g. models/genre-cnn)
  --labels <a,b,…>          labels in output order (default Hiphop,EDM,Classical,Metal,Jazz)
  --epochs <n>              maximum epochs (default 30)
  --batch-size <n>          (default 32)
  --segment-hop <frames>    hop between the 130-frame segments a clip is scored on, in validation
                            and in serving (default 130: no overlap, 10 segments per 30 s; 65:
                            50 % overlap, 19 segments, twice the inference time, the same
                            accuracy on the selection split: docs/experiments.md)
  --segments-per-clip <n>   random 3-s windows per training clip per epoch (default 4)
  --patience <n>            early stopping: epochs without val-loss improvement (default 4)
  --learning-rate <x>       Adam learning rate (default 0.001)
  --augment-gain-db <x>     random loudness change per training segment, ±x dB (default 0)
  --augment-eq-db <x>       random smooth EQ per training segment, x dB per cosine (default 0)
  --mask-frames <n>         SpecAugment time mask: hide up to n consecutive frames per training
                            segment (default 0, off; a segment has 130 frames)
  --mask-coefficients <n>   hide up to n whole MFCC coefficient rows per training segment (default 0)
  --mixup <alpha>           blend each training segment with another of its batch, weight
                            λ ~ Beta(alpha, alpha) folded to ≥ 0.5, targets blended alike
                            (default 0, off)
  --stretch <s>             read each training segment at a random tempo, rate log-uniform in
                            [1/(1+s), 1+s] (default 0, off; 0.15 = ±15 %)
  --band-limit <share>      this share of the training windows (0–1) replaced by the same window
                            of the recording band-limited at a cutoff of 2.5–7 kHz fixed per
                            file (24 dB/octave), every genre alike (default 0, off)
  --balance-sources         within each genre, training windows per clip ∝ 1/√(clips of its
                            source), so no one source's sound dominates a genre (default off)
  --normalisation <n,…>     how each segment is normalised before the network (train and
                            serve): plain (training mean/std per coefficient only),
                            centred (also subtract the segment's own mean per coefficient),
                            standardised (also divide by the segment's own spread), or
                            standardised-timbre (that for c1 and up only). Two or more names
                            train one network each (same seed) into one model that averages
                            them. Default centred,standardised (the best measured for --network
                            cnn on the selection split, docs/experiments.md; the bundled model
                            uses cnn-with-timbre with plain: scripts/train-bundled.sh)
  --centre-segments         same as --normalisation centred
  --standardise-segments    same as --normalisation standardised
  --standardise-timbre      same as --normalisation standardised-timbre
  --head <h>                flatten (the 2017 design, default) or global-average (average the last
                            convolution block over coefficients and time before the dense layer)
  --network <n>             cnn (default) or cnn-with-timbre: one network whose CNN path centres
                            each segment itself and whose second path hears each frame's colour
                            (use with --normalisation plain; docs/experiments.md)
  --timbre-path-dropout <x> cnn-with-timbre: drop the timbre path whole for this share of the
                            training segments (default 0)
  --timbre-centred-rows <k> cnn-with-timbre: the timbre path hears coefficients 0..k-1 (level,
                            tilt, …) centred per segment, so a recording's overall colour counts
                            less (default 0: all as given; 3 lost on held-out sources)
  --filters <a,b,c>         filters of the three conv blocks (default 16,32,32; with
                            --mel-view-alongside, of each CNN path)
  --mel-view <bands[,…]>    cnn-with-timbre: the CNN path hears the centred coefficients as a
                            smoothed log-mel image of this many bands (a frozen inverse DCT);
                            several values train one network each, averaged, 0 meaning the
                            cepstral rows (0,24: the pair of docs/experiments.md)
  --member-data <k>=<path>[,…]
                            datasets that network k only (1-based, in --mel-view or
                            --normalisation order) also trains on, split by group like --data;
                            repeatable (24,24 with 2=<extras>: two mel-view networks, one of them
                            with more data, as the bundled model)
  --mel-view-alongside      with one --mel-view: a second CNN path on the mel view beside the
                            cepstral one, instead of replacing it
  --weight-average <n>      keep the mean of the weights of the epochs within n of the best one
                            instead of the best epoch's (default 0: the best epoch's)
  --seed <n>                seed for split, sampling, weight init and dropout (default 42)
  --val-fraction <x>        fraction of groups (tracks) per genre for validation (default 0.2)
  --holdout-sources <a,b>   sources never trained on; evaluated at the end as "held-out"
  --eval-data <path>        a second dataset evaluated at the end as "held-out" (e.g.
                            data/bundled/eval-heldout.tsv); none of its sources may be in --data
  --max-minutes <x>         wall-clock budget for the whole command (default 40)
  --name <name>             model name (default: the --out folder name)
  --model-version <v>       model version (default 1.0.0)
  --backend <b>             auto|tensorflow|wasm|cpu (default TF_BACKEND)
  --cache-dir <dir>         feature cache (default .cache/features)
  -h, --help                show this help`;

async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandLine({ name: 'train', argv, parse: parseTrainArgs, help: HELP });
  if ('exitCode' in parsed) return parsed.exitCode;
  const { args } = parsed;
  try {
    await train({ ...args, backend: args.backend ?? loadConfig().TF_BACKEND }, {
      log: (line) => console.log(line), warn: (line) => console.warn(line), progress: progressBar,
    });
    return 0;
  } catch (err) {
    return failureExitCode('train', err);
  }
}

const command: CliCommand = { run };
export default command;
