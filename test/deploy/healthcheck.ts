// Runs a health-check command (exec form, `node -e …`) on this machine against a local HTTP
// server, so the tests prove the command in the Dockerfile/compose file really tells a healthy
// server from an unhealthy one, rather than only that it mentions the right path.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export async function runHealthCheck(args: {
  command: string[];
  path: string;
  status: number;
  timeoutMs?: number;
}): Promise<{ exitCode: number | null; requestedPaths: string[] }> {
  const requestedPaths: string[] = [];
  const server = createServer((req, res) => {
    requestedPaths.push(req.url ?? '');
    res.statusCode = req.url === args.path ? args.status : 404;
    res.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const [program, ...rest] = args.command;
  if (program !== 'node') throw new Error(`health check should use node itself, not ${String(program)}`);
  try {
    const child = spawn(process.execPath, rest, { env: { ...process.env, PORT: String(port) }, stdio: 'ignore' });
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error('health check did not finish in time'));
      }, args.timeoutMs ?? 10_000);
      child.on('exit', (code) => {
        clearTimeout(timer);
        resolve(code);
      });
    });
    return { exitCode, requestedPaths };
  } finally {
    server.close();
  }
}
