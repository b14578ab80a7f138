// Runs first in every function's bundle (serverless.yml injects it with esbuild's `inject`), so a
// stack formatted at any point, module load included, is in the sources' lines. Only bundles get it:
// code run from the sources (the tests, tsx scripts) keeps its own stack traces.
import { installSourceMappedStacks } from "./source-mapped-stacks.js";

installSourceMappedStacks();
