#!/usr/bin/env node
import { buildProgram } from './program.js';
import { reportFailure } from './report-failure.js';
import { exitQuietlyOnClosedPipe } from './closed-pipe.js';

exitQuietlyOnClosedPipe(process.stdout);
buildProgram()
  .parseAsync(process.argv)
  .catch(async (error: unknown) => {
    process.exitCode = await reportFailure(error);
  });
