import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadConfig, rateLimitSetting } from '../config.js';
import { collectDataset } from '../lab/datasets/collect.js';
import { parseCollectCsv } from '../lab/datasets/collect-csv.js';
import { isAppError } from '../errors.js';
import { createLogger } from '../logger.js';
import { createProviders } from '../previews/providers.js';
import { UsageError, type CliCommand } from './command.js';

const HELP = `Usage: music-prediction dataset collect --csv <list.csv> --out <dir> [options]

Builds a dataset from preview providers. The CSV has rows artist,track,genre (header optional,
"quoted, fields" allowed). Writes <out>/<genre>/<provider>-<id>.<ext>, <out>/manifest.tsv
(path genre group source artist track) and <out>/misses.tsv (row artist track genre reason).
Re-running skips rows already collected or missed; rows that failed (outage) are tried again.

Options:
  --csv <file>           input list (required)
  --out <dir>            output folder (required)
  --providers <list>     e.g. deezer,itunes (default: PREVIEW_PROVIDERS)
  --rate <n>/<period>    at most n requests per period to each provider, e.g. 1/2s
                         (only makes the configured quotas stricter)
  --attempts <n>         tries per row on transient errors (default 5)
  -h, --help             this text

Settings (DEEZER_BASE_URL, ITUNES_BASE_URL, PREVIEW_ALLOWED_HOSTS, MAX_PREVIEW_BYTES, …) come from
the environment. Mind the providers' terms (docs/previews.md): Apple's terms restrict
downloading iTunes previews.`;

const command: CliCommand = {
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: {
        csv: { type: 'string' },
        out: { type: 'string' },
        providers: { type: 'string' },
        rate: { type: 'string' },
        attempts: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    if (!values.csv || !values.out) throw new UsageError('dataset collect: --csv and --out are required (see --help)');
    const rate = values.rate === undefined ? undefined : rateLimitSetting.safeParse(values.rate);
    if (rate && !rate.success) throw new UsageError(`dataset collect: --rate "${values.rate}": expected <n>/<period>, e.g. 1/2s`);
    const attempts = Number(values.attempts ?? 5);
    if (!Number.isInteger(attempts) || attempts < 1 || attempts > 20) throw new UsageError('dataset collect: --attempts must be 1..20');

    const config = loadConfig({ ...process.env, ...(values.providers ? { PREVIEW_PROVIDERS: values.providers } : {}) });
    const logger = createLogger(config, 'dataset-collect');
    const text = await readFile(values.csv, 'utf8').catch(() => {
      throw new UsageError(`dataset collect: cannot read ${values.csv}`);
    });
    const controller = new AbortController();
    const stop = (): void => controller.abort(new Error('interrupted'));
    process.once('SIGINT', stop);
    try {
      const rows = parseCollectCsv({ text });
      // A batch job may wait for its quota instead of failing fast like the API does.
      const providers = createProviders({ config, logger, rateOverride: rate?.data, maxWaitMs: 120_000 });
      const summary = await collectDataset({
        rows,
        outDir: values.out,
        providers,
        attempts,
        logger,
        signal: controller.signal,
        download: {
          allowInsecure: config.ALLOW_INSECURE_PREVIEWS,
          maxBytes: config.MAX_PREVIEW_BYTES,
          timeoutMs: config.PREVIEW_DOWNLOAD_TIMEOUT_MS,
          extraHosts: config.PREVIEW_ALLOWED_HOSTS,
        },
      });
      console.log(
        `rows ${summary.rows}: downloaded ${summary.downloaded} (${Object.entries(summary.byProvider).map(([p, n]) => `${p} ${n}`).join(', ') || 'none'}), ` +
          `already done ${summary.resumed}, missed ${summary.missed}, duplicates ${summary.duplicates}, failed ${summary.failed.length}`,
      );
      for (const f of summary.failed) console.log(`  row ${f.row}: ${f.code} ${f.message} (will be retried on the next run)`);
      console.log(`manifest: ${values.out}/manifest.tsv  misses: ${values.out}/misses.tsv`);
      return summary.failed.length > 0 ? 1 : 0;
    } catch (err) {
      if (isAppError(err) && err.code === 'BAD_CSV') throw new UsageError(`dataset collect: ${values.csv}: ${err.message}`);
      throw err;
    } finally {
      process.off('SIGINT', stop);
    }
  },
};

export default command;
