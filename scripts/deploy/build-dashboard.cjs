// A Serverless plugin (listed before serverless-esbuild): builds the dashboard into dashboard/dist
// before the functions are packaged, so the dashboard function's zip (its package.patterns) holds
// the assets of this very commit. The build itself is scripts/dashboard/build.ts.
"use strict";

const { execFileSync } = require("node:child_process");
const { join } = require("node:path");

class BuildDashboard {
  constructor(serverless) {
    this.serverless = serverless;
    const build = () => this.build();
    this.hooks = {
      "before:package:createDeploymentArtifacts": build,
      "before:deploy:function:packageFunction": build,
    };
  }

  build() {
    const root = this.serverless.serviceDir ?? process.cwd();
    execFileSync(
      process.execPath,
      ["--import", "tsx", join(root, "scripts", "dashboard", "build.ts"), "build"],
      {
        cwd: root,
        stdio: ["ignore", "inherit", "inherit"],
      },
    );
  }
}

module.exports = BuildDashboard;
