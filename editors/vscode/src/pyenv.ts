/**
 * The interpreter a pyenv shim would run, found without running the shim.
 *
 * A pyenv shim (`~/.pyenv/shims/python3`) is a bash script that runs `pyenv exec`, which starts
 * several more bash scripts to choose the version: 0.36 s of the first start on the project's
 * machine (0.5-0.9 s loaded), before Python itself starts. The choice is a few file reads, made
 * here as pyenv makes it (libexec/pyenv-version-name, -version-file, -version-file-read, -which
 * and -latest in pyenv 2.x):
 *
 *  1. the versions: `PYENV_VERSION` (colon-separated), else the first `.python-version` in the
 *     directory the shim would run in or a parent (`PYENV_DIR` first, as pyenv does), else
 *     `$PYENV_ROOT/version`; the first file found gives its non-empty, non-comment lines' first
 *     words, and none (or no file) means `system`;
 *  2. each name, in order: `versions/<name>`, then without a `python-` prefix, then the newest
 *     installed `<name>.<n>...` (pyenv's prefix match, `3.11` -> `3.11.7`), or `system`: the
 *     command found on PATH after the shims directory;
 *  3. the first of those versions whose `bin/<command>` exists.
 *
 * Anything this cannot decide the same way (pyenv plugins' hooks that pick another version, a
 * version that is not installed, a name with `/` or `..`, which pyenv checks against `versions/`) gives undefined, and the caller runs the shim
 * as before. The launcher reports the interpreter's real executable either way, and that is what
 * later starts run.
 */
import * as fs from 'fs';
import * as path from 'path';

/** Whether `file` is a pyenv shim, and the PYENV_ROOT it was written for. */
function shimRoot(file: string, env: NodeJS.ProcessEnv): string | undefined {
    if (path.basename(path.dirname(file)) !== 'shims') {
        return undefined;
    }
    let head: string;
    try {
        const fd = fs.openSync(file, 'r');
        try {
            const buf = Buffer.alloc(2048);
            head = buf.subarray(0, fs.readSync(fd, buf, 0, buf.length, 0)).toString('utf8');
        } finally {
            fs.closeSync(fd);
        }
    } catch {
        return undefined;
    }
    if (!/pyenv"?\s+exec\b/.test(head)) {
        return undefined;
    }
    // `pyenv rehash` writes the root into every shim: the one the shim will use.
    const written = /^export PYENV_ROOT="([^"]+)"/m.exec(head)?.[1];
    return written ?? env.PYENV_ROOT ?? path.dirname(path.dirname(file));
}

/** The version names a pyenv version file lists (undefined: no such file). */
function readVersionFile(file: string): string[] | undefined {
    let text: string;
    try {
        if (!fs.statSync(file).isFile()) {
            return undefined;
        }
        text = fs.readFileSync(file, 'utf8');
    } catch {
        return undefined;
    }
    return text
        .split(/\r?\n|\r/)
        .map((line) => line.trim().split(/\s+/)[0] ?? '')
        .filter((name) => name && !name.startsWith('#'));
}

function versionFileFrom(dir: string | undefined): string | undefined {
    for (let current = dir; current; ) {
        const candidate = path.join(current, '.python-version');
        if (fs.existsSync(candidate)) {
            return candidate;
        }
        const parent = path.dirname(current);
        current = parent === current ? undefined : parent;
    }
    return undefined;
}

function selectedNames(root: string, cwd: string | undefined, env: NodeJS.ProcessEnv): string[] | undefined {
    if (env.PYENV_VERSION) {
        return env.PYENV_VERSION.split(':').filter(Boolean);
    }
    // pyenv reads only the first file it finds: an empty one means system, not the global version.
    const file = versionFileFrom(env.PYENV_DIR) ?? versionFileFrom(cwd ?? process.cwd()) ?? path.join(root, 'version');
    const names = readVersionFile(file) ?? [];
    if (names.some((name) => name === '..' || name.includes('/'))) {
        // pyenv accepts such a name only if it stays inside versions/ (a pyenv-virtualenv env
        // written as 3.12.1/envs/x), and warns and skips it otherwise: left to pyenv.
        return undefined;
    }
    return names.length > 0 ? names : ['system'];
}

function compareVersions(a: string, b: string): number {
    const pa = a.split('.').map(Number);
    const pb = b.split('.').map(Number);
    for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
        const d = (pa[i] ?? -1) - (pb[i] ?? -1);
        if (d !== 0) {
            return d;
        }
    }
    return 0;
}

/** The installed version directory `name` means, as pyenv-version-name resolves it. */
function installed(root: string, name: string): string | undefined {
    const versions = path.join(root, 'versions');
    for (const candidate of [name, name.replace(/^python-/, '')]) {
        if (fs.existsSync(path.join(versions, candidate))) {
            return candidate;
        }
    }
    // pyenv-latest: the newest installed release that starts with the prefix (numbers only, so
    // `3.1` does not pick `3.11.7` and no dev or rc build is chosen).
    const prefix = name.replace(/^python-/, '');
    if (!/^\d+(\.\d+)*$/.test(prefix)) {
        return undefined;
    }
    let entries: string[];
    try {
        entries = fs.readdirSync(versions);
    } catch {
        return undefined;
    }
    const matches = entries.filter((e) => e.startsWith(prefix + '.') && /^\d+(\.\d+)*$/.test(e));
    matches.sort(compareVersions);
    return matches[matches.length - 1];
}

/** Where pyenv looks for hooks (libexec/pyenv builds PYENV_HOOK_PATH from these). */
function hookDirs(root: string, env: NodeJS.ProcessEnv): string[] {
    const dirs = (env.PYENV_HOOK_PATH ?? '').split(':').filter(Boolean);
    dirs.push(path.join(root, 'pyenv.d'), '/usr/etc/pyenv.d', '/usr/local/etc/pyenv.d', '/etc/pyenv.d', '/usr/lib/pyenv/hooks');
    try {
        for (const plugin of fs.readdirSync(path.join(root, 'plugins'))) {
            dirs.push(path.join(root, 'plugins', plugin, 'etc', 'pyenv.d'));
        }
    } catch {
        // no plugins
    }
    return dirs;
}

/** `command` on PATH, skipping the shims directory (pyenv's `system`). */
function systemCommand(command: string, shims: string, env: NodeJS.ProcessEnv): string | undefined {
    for (const dir of (env.PATH ?? '').split(path.delimiter)) {
        if (!dir || path.resolve(dir) === shims) {
            continue;
        }
        const file = path.join(dir, command);
        try {
            fs.accessSync(file, fs.constants.X_OK);
            if (fs.statSync(file).isFile()) {
                return file;
            }
        } catch {
            // not here
        }
    }
    return undefined;
}

/**
 * The executable the pyenv shim `file` (for `command`, e.g. `python3`) would run from `cwd`, or
 * undefined when `file` is not a pyenv shim or the choice is not certain.
 */
export function resolvePyenvShim(file: string, cwd: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
    if (process.platform === 'win32') {
        return undefined; // pyenv-win's shims are batch files with their own rules
    }
    const root = shimRoot(file, env);
    if (!root) {
        return undefined;
    }
    if (hookDirs(root, env).some((dir) => fs.existsSync(path.join(dir, 'version-name')))) {
        return undefined; // a plugin's hook may choose another version
    }
    const names = selectedNames(root, cwd, env);
    if (!names) {
        return undefined;
    }
    const command = path.basename(file);
    const shims = path.resolve(path.dirname(file));
    for (const name of names) {
        if (name === 'system') {
            const found = systemCommand(command, shims, env);
            if (found) {
                return found;
            }
            continue;
        }
        const version = installed(root, name);
        if (!version) {
            return undefined; // pyenv reports "not installed" and fails: let it say so
        }
        const executable = path.join(root, 'versions', version, 'bin', command);
        if (fs.existsSync(executable)) {
            return executable;
        }
    }
    return undefined;
}
