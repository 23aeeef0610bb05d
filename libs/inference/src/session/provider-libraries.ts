import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * onnxruntime-node's CPU install carries no CUDA/TensorRT provider libraries (they come
 * from `ONNXRUNTIME_NODE_INSTALL=cuda12` at install time). Checking for the file first
 * avoids ORT's native error spam and gives one clear reason in our log line.
 */
export function ortBinaryDir(): string | undefined {
  try {
    const pkg = dirname(require.resolve('onnxruntime-node/package.json'));
    const napi = readdirSync(join(pkg, 'bin')).find((d) => d.startsWith('napi-'));
    return napi ? join(pkg, 'bin', napi, process.platform, process.arch) : undefined;
  } catch {
    return undefined;
  }
}

export function providerLibraryMissing(provider: 'cuda' | 'tensorrt', binDir = ortBinaryDir()): string | undefined {
  if (!binDir) return undefined; // unknown layout: let onnxruntime decide
  const lib = process.platform === 'win32' ? `onnxruntime_providers_${provider}.dll` : `libonnxruntime_providers_${provider}.so`;
  return existsSync(join(binDir, lib))
    ? undefined
    : `${lib} not installed (reinstall onnxruntime-node with ONNXRUNTIME_NODE_INSTALL=cuda12 on a GPU host)`;
}
