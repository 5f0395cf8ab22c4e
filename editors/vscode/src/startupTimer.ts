/**
 * Where the time goes between activation and the first diagnostics: each phase is logged at debug
 * level as it ends, and once the first diagnostics arrive one info line carries them all as JSON
 * (`Startup timings: {...}`), which the e2e test reads from the output channel's log file to report
 * a per-phase table next to its own file shown -> first squiggle figure.
 */
import * as vscode from 'vscode';

export const TIMINGS_PREFIX = 'Startup timings: ';

export class StartupTimer {
    /** Wall-clock time of activation (epoch ms), so the test can line the phases up with its own clock. */
    readonly startEpochMs = Date.now();
    private readonly start = performance.now();
    private readonly phases: [string, number][] = [];
    private reported = false;

    constructor(
        private readonly log: vscode.LogOutputChannel,
        private readonly reason: string,
    ) {}

    /** Milliseconds since activation (or since the restart this timer was made for). */
    elapsed(): number {
        return Math.round((performance.now() - this.start) * 10) / 10;
    }

    mark(phase: string): void {
        if (this.reported) {
            return;
        }
        const ms = this.elapsed();
        this.phases.push([phase, ms]);
        this.log.debug(`startup +${ms} ms: ${phase}`);
    }

    /** The last mark: log every phase on one line. Later marks are ignored. */
    finish(phase: string): void {
        if (this.reported) {
            return;
        }
        this.mark(phase);
        this.reported = true;
        const summary = { reason: this.reason, startEpochMs: this.startEpochMs, phases: this.phases };
        this.log.info(TIMINGS_PREFIX + JSON.stringify(summary));
    }
}
