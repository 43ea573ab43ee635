// Validates the Dockerfile and .dockerignore without a Docker engine (scripts/docker-e2e.sh builds
// and runs the image for real, in CI): stages and base images, what the runtime stage copies and where each file comes from, the
// non-root user, the port, the commands, and a HEALTHCHECK that is executed here for real.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { configSchema } from '../../src/config.js';
import { containerPath, copyTarget, execForm, isDockerIgnored, parseCopy, parseDockerfile, type Stage } from './dockerfile.js';
import { runHealthCheck } from './healthcheck.js';

const { globalArgs, stages } = parseDockerfile(readFileSync('Dockerfile', 'utf8'));
const ignoreRules = readFileSync('.dockerignore', 'utf8').split('\n');
const runtime = stages.at(-1)!;
const all = (stage: Stage, keyword: string) => stage.instructions.filter((i) => i.keyword === keyword);
const tsOutDir = (JSON.parse(readFileSync('tsconfig.json', 'utf8')) as { compilerOptions: { outDir: string } }).compilerOptions.outDir;

test('multi-stage build on a Node LTS slim Debian image', () => {
  assert.deepEqual(stages.map((s) => s.name), ['ffmpeg', 'deps', 'build', 'runtime']);
  assert.match(globalArgs.NODE_IMAGE ?? '', /^node:\d+-(bookworm|trixie)-slim$/);
  const major = Number(/^node:(\d+)/.exec(globalArgs.NODE_IMAGE!)![1]);
  assert.ok(major >= 22 && major % 2 === 0, `node ${major} is not a supported LTS line`);
  assert.equal(runtime.base, globalArgs.NODE_IMAGE, 'the runtime starts from the slim image, not from the build stage');
  assert.equal(stages.find((s) => s.name === 'build')!.base, 'deps');
  for (const stage of stages.filter((s) => s.name !== 'build')) assert.equal(stage.base, globalArgs.NODE_IMAGE, `${stage.name} starts from the slim image`);
});

test('the Node version of the image can run the locked @tensorflow/tfjs-node', () => {
  // tfjs-node <= 4.22.0 calls util.isNullOrUndefined in its kernels; Node 23 removed it, so the
  // native backend would load and then fail on the first operation.
  const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, { version?: string }> };
  const tfjsNode = lock.packages['node_modules/@tensorflow/tfjs-node']?.version;
  const major = Number(/^node:(\d+)/.exec(globalArgs.NODE_IMAGE!)![1]);
  const [a = 0, b = 0, c = 0] = (tfjsNode ?? '').split('.').map(Number);
  const usesRemovedUtil = tfjsNode !== undefined && a * 1e6 + b * 1e3 + c <= 4_022_000;
  if (usesRemovedUtil) assert.ok(major <= 22, `tfjs-node ${tfjsNode} breaks on Node ${major}`);
});

test('the build stage installs with npm ci, compiles, and drops dev dependencies', () => {
  const stage = (name: string) => stages.find((s) => s.name === name)!;
  const runs = [...all(stage('deps'), 'RUN'), ...all(stage('build'), 'RUN')].map((r) => r.args).join('\n');
  assert.match(runs, /npm ci\b/);
  assert.match(runs, /npm rebuild @tensorflow\/tfjs-node/, 'the native tfjs backend is installed where the build has internet');
  assert.match(runs, /npm run build/);
  assert.match(runs, /npm prune --omit=dev/);
});

test('the runtime stage installs what the ffmpeg stage\'s binary needs, runs as a non-root user and exposes the configured port', () => {
  assert.match(all(runtime, 'RUN').map((r) => r.args).join('\n'), /apt-get install .*\$\(cat \/tmp\/ffmpeg-runtime-packages\)/);
  const user = all(runtime, 'USER').at(-1)?.args;
  assert.ok(user !== undefined && !/^(root|0)(:|$)/.test(user), `runtime USER is ${String(user)}`);
  assert.deepEqual(all(runtime, 'EXPOSE').map((e) => e.args), ['3000']);
  const env = Object.fromEntries(
    all(runtime, 'ENV').flatMap((e) => [...e.args.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1]!, m[2]!])),
  );
  assert.equal(env.HOST, '0.0.0.0');
  assert.equal(env.PORT, '3000');
  for (const name of Object.keys(env)) assert.ok(name in configSchema.shape, `ENV ${name} is not a config setting`);
});

test('the runtime runs the ffmpeg stage\'s audio-only build, and that stage falls back to Debian\'s binary', () => {
  const env = Object.fromEntries(all(runtime, 'ENV').flatMap((e) => [...e.args.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1]!, m[2]!])));
  const copies = all(runtime, 'COPY').map((c) => parseCopy(c.args)).filter((c) => c.from === 'ffmpeg');
  assert.deepEqual(copies.map((c) => [c.sources.join(' '), c.dest]), [
    ['/opt/ffmpeg/bin/ffmpeg', env.FFMPEG_PATH],
    ['/opt/ffmpeg/runtime-packages', '/tmp/ffmpeg-runtime-packages'],
  ]);
  // The binary must start in the image, so a missing library fails the build.
  assert.match(all(runtime, 'RUN').map((r) => r.args).join('\n'), new RegExp(`${env.FFMPEG_PATH} -hide_banner -version`));
  const ffmpegStage = stages.find((s) => s.name === 'ffmpeg')!;
  const build = all(ffmpegStage, 'RUN').map((r) => r.args).find((a) => a.includes('build-ffmpeg.sh'));
  assert.ok(build, 'the ffmpeg stage runs scripts/build-ffmpeg.sh');
  // A failed build (network, a new Debian version) must not fail the image: it copies Debian's ffmpeg
  // instead, and then the runtime needs Debian's whole ffmpeg package, not only the small build's libsoxr.
  const [built, fallback] = build.split('||') as [string, string];
  assert.match(built, /build-ffmpeg\.sh \/opt\/ffmpeg && echo "libsoxr0 libgomp1" >\/opt\/ffmpeg\/runtime-packages/);
  assert.match(fallback, /cp \/usr\/bin\/ffmpeg .*echo ffmpeg >\/opt\/ffmpeg\/runtime-packages/);
  // The build script compares against Debian's ffmpeg, so that stage installs it too.
  assert.match(all(ffmpegStage, 'RUN').map((r) => r.args).join('\n'), /apt-get install .*\bffmpeg\b.*\blibsoxr-dev\b/);
});

test('CMD starts the compiled API server, which the build produces from src/', () => {
  const cmd = execForm(all(runtime, 'CMD').at(-1)!.args);
  assert.deepEqual(cmd, ['node', `${tsOutDir}/src/server.js`]);
  assert.ok(existsSync('src/server.ts'), 'src/server.ts compiles to the CMD entry point');
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
  assert.equal(pkg.scripts.start, cmd.join(' '), 'npm start and the image start the same file');
});

test('every COPY source exists: in the build context (not .dockerignored) or in the named stage', () => {
  const produced = new Map<string, string[]>(); // stage name -> container paths it holds
  const workdirs = new Map<string, string>();
  for (const stage of stages) {
    const paths = [...(produced.get(stage.base) ?? [])];
    let workdir = workdirs.get(stage.base) ?? '/';
    for (const ins of stage.instructions) {
      if (ins.keyword === 'WORKDIR') workdir = containerPath(workdir, ins.args);
      if (ins.keyword === 'RUN' && /npm ci\b/.test(ins.args)) paths.push(containerPath(workdir, 'node_modules'));
      if (ins.keyword === 'RUN' && /npm run build/.test(ins.args)) paths.push(containerPath(workdir, tsOutDir));
      // scripts/build-ffmpeg.sh <dir> writes <dir>/bin/ffmpeg (and the fallback puts a binary there too).
      const ffmpegBuild = ins.keyword === 'RUN' ? /build-ffmpeg\.sh\s+(\S+)/.exec(ins.args) : null;
      if (ffmpegBuild && /mkdir -p (\S+)\/bin && cp \/usr\/bin\/ffmpeg \1\/bin\/ffmpeg/.test(ins.args)) paths.push(containerPath(workdir, ffmpegBuild[1]!));
      if (ins.keyword !== 'COPY') continue;
      const copy = parseCopy(ins.args);
      for (const source of copy.sources) {
        if (copy.from === undefined) {
          assert.ok(existsSync(source), `COPY ${source}: not in the repository`);
          // git keeps no empty folder, so an empty one here would be missing from a fresh clone
          if (statSync(source).isDirectory()) assert.ok(readdirSync(source).length > 0, `COPY ${source}: empty folder`);
          assert.ok(!isDockerIgnored(ignoreRules, source.replace(/^\.\//, '')), `COPY ${source}: excluded by .dockerignore`);
        } else {
          const from = containerPath('/', source);
          assert.ok(produced.get(copy.from)?.some((p) => from === p || from.startsWith(`${p}/`)), `COPY --from=${copy.from} ${source}: that stage has no such path`);
        }
        paths.push(containerPath(workdir, copyTarget(copy, source)));
      }
    }
    produced.set(stage.name, paths);
    workdirs.set(stage.name, workdir);
  }
});

test('the runtime stage holds only runtime files', () => {
  const copied = all(runtime, 'COPY').map((c) => parseCopy(c.args).dest.replace(/^\.\//, ''));
  assert.deepEqual(copied.sort(), ['/tmp/ffmpeg-runtime-packages', '/usr/local/bin/ffmpeg-audio', 'dist', 'models', 'node_modules', 'openapi.yaml', 'package.json', 'public']);
});

test('.dockerignore keeps secrets, data and build output out of the context', () => {
  for (const path of ['.git/HEAD', '.env', 'node_modules/zod/package.json', 'dist/src/server.js', 'data/x.wav', 'artifacts/a.png', 'test/deploy/docker-files.test.ts']) {
    assert.ok(isDockerIgnored(ignoreRules, path), `${path} should be ignored`);
  }
  assert.ok(!isDockerIgnored(ignoreRules, 'src/config.ts'));
});

test('HEALTHCHECK uses node itself and tells a healthy server from a failing one', async () => {
  const healthcheck = all(runtime, 'HEALTHCHECK').at(-1)!.args;
  assert.match(healthcheck, /--timeout=\d+s/);
  const command = execForm(healthcheck.slice(healthcheck.indexOf('CMD')))!;
  const healthy = await runHealthCheck({ command, path: '/healthz', status: 200 });
  assert.deepEqual(healthy, { exitCode: 0, requestedPaths: ['/healthz'] });
  assert.equal((await runHealthCheck({ command, path: '/healthz', status: 503 })).exitCode, 1);
});
