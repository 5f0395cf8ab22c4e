// Unit tests of resolvePyenvShim on fake pyenv trees (node:test; `npm run unit`, run by make e2e).
// Where a real pyenv is installed, the last test also compares with `pyenv which`.
import { strict as assert } from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { test } from 'node:test';
import { resolvePyenvShim } from './pyenv';

interface Tree {
    root: string;
    shim: string;
    project: string;
    systemBin: string;
}

function write(file: string, text: string, mode = 0o644): void {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    fs.chmodSync(file, mode);
}

/** A PYENV_ROOT with `versions` installed (each with bin/python3), its shim, and a project dir. */
function tree(versions: string[], globalVersion?: string): Tree {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'pyenv-test-'));
    const root = path.join(base, '.pyenv');
    for (const v of versions) {
        write(path.join(root, 'versions', v, 'bin', 'python3'), '#!/bin/sh\n', 0o755);
    }
    if (globalVersion !== undefined) {
        write(path.join(root, 'version'), globalVersion);
    }
    const shim = path.join(root, 'shims', 'python3');
    write(
        shim,
        `#!/usr/bin/env bash\nset -e\nprogram="\${0##*/}"\n\nexport PYENV_ROOT="${root}"\nexec "${root}/libexec/pyenv" exec "$program" "$@"\n`,
        0o755,
    );
    const systemBin = path.join(base, 'usr', 'bin');
    write(path.join(systemBin, 'python3'), '#!/bin/sh\n', 0o755);
    const project = path.join(base, 'work', 'project', 'sub');
    fs.mkdirSync(project, { recursive: true });
    return { root, shim, project, systemBin };
}

function env(t: Tree, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return { PATH: [path.dirname(t.shim), t.systemBin].join(path.delimiter), ...extra };
}

const bin = (t: Tree, v: string): string => path.join(t.root, 'versions', v, 'bin', 'python3');

test('the global version file', () => {
    const t = tree(['3.11.7', '3.12.1'], '3.12.1\n');
    assert.equal(resolvePyenvShim(t.shim, t.project, env(t)), bin(t, '3.12.1'));
});

test('PYENV_VERSION wins over files; a colon list takes the first that has the command', () => {
    const t = tree(['3.11.7', '3.12.1'], '3.12.1\n');
    write(path.join(t.project, '.python-version'), '3.12.1\n');
    assert.equal(resolvePyenvShim(t.shim, t.project, env(t, { PYENV_VERSION: '3.11.7' })), bin(t, '3.11.7'));
    fs.rmSync(bin(t, '3.11.7'));
    assert.equal(resolvePyenvShim(t.shim, t.project, env(t, { PYENV_VERSION: '3.11.7:3.12.1' })), bin(t, '3.12.1'));
});

test('the nearest .python-version above the working directory, comments and blank lines skipped', () => {
    const t = tree(['3.11.7', '3.12.1'], '3.12.1\n');
    write(path.join(path.dirname(t.project), '.python-version'), '# pinned\n\n3.11.7 extra words\n');
    assert.equal(resolvePyenvShim(t.shim, t.project, env(t)), bin(t, '3.11.7'));
});

test('a prefix picks the newest installed release; python- is dropped', () => {
    const t = tree(['3.11.2', '3.11.10', '3.11.9', '3.1.4', '3.11-dev'], 'python-3.11\n');
    assert.equal(resolvePyenvShim(t.shim, t.project, env(t)), bin(t, '3.11.10'));
});

test('only the first version file counts: an empty local one means system', () => {
    const t = tree(['3.11.7'], '3.11.7\n');
    write(path.join(t.project, '.python-version'), '\n# nothing\n');
    assert.equal(resolvePyenvShim(t.shim, t.project, env(t)), path.join(t.systemBin, 'python3'));
});

test('system is the command after the shims on PATH', () => {
    const t = tree(['3.11.7'], 'system\n');
    assert.equal(resolvePyenvShim(t.shim, t.project, env(t)), path.join(t.systemBin, 'python3'));
    // No version file at all means system too.
    fs.rmSync(path.join(t.root, 'version'));
    assert.equal(resolvePyenvShim(t.shim, t.project, env(t)), path.join(t.systemBin, 'python3'));
});

test('undecidable: not installed, a version-name hook, a path in the name, not a shim', () => {
    const t = tree(['3.11.7'], '3.13.0\n');
    assert.equal(resolvePyenvShim(t.shim, t.project, env(t)), undefined);
    write(path.join(t.root, 'version'), '3.11.7/envs/tools\n');
    assert.equal(resolvePyenvShim(t.shim, t.project, env(t)), undefined);
    write(path.join(t.root, 'version'), '3.11.7\n');
    write(path.join(t.root, 'plugins', 'p', 'etc', 'pyenv.d', 'version-name', 'x.bash'), '');
    assert.equal(resolvePyenvShim(t.shim, t.project, env(t)), undefined);
    assert.equal(resolvePyenvShim(path.join(t.systemBin, 'python3'), t.project, env(t)), undefined);
});

test('agrees with the real pyenv where one is installed', (ctx) => {
    let shim: string;
    try {
        shim = execFileSync('sh', ['-c', 'command -v python3'], { encoding: 'utf8' }).trim();
    } catch {
        ctx.skip('no python3 on PATH');
        return;
    }
    if (path.basename(path.dirname(shim)) !== 'shims') {
        ctx.skip('python3 on PATH is not a pyenv shim');
        return;
    }
    const cwd = os.tmpdir();
    const real = execFileSync(shim, ['-c', 'import sys; print(sys.executable)'], { cwd, encoding: 'utf8' }).trim();
    const ours = resolvePyenvShim(shim, cwd);
    assert.ok(ours, 'not resolved');
    assert.equal(fs.realpathSync(ours), fs.realpathSync(real));
});
