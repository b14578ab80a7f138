// A Serverless plugin (listed after serverless-iam-roles-per-function): the framework compiles its
// default execution role (IamRoleLambdaExecution) before the per-function roles replace it, so the
// stack would deploy a role no function uses. Once every function has its own role, the default one
// is removed from the compiled template. If anything still refers to it, nothing is touched.
// It runs after the framework merged serverless.yml's `resources` and `extensions` into the
// template (aws:package:finalize:mergeCustomProviderResources) and before the template is saved, so
// a reference from `resources` is seen; test/unit/infrastructure/template.test.ts packages one.
"use strict";

const DEFAULT_ROLE = "IamRoleLambdaExecution";

class DropUnusedDefaultRole {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = { "before:aws:package:finalize:saveServiceState": () => this.dropIfUnused() };
  }

  dropIfUnused() {
    const template = this.serverless.service.provider.compiledCloudFormationTemplate;
    const resources = template?.Resources ?? {};
    if (!resources[DEFAULT_ROLE]) return;
    const others = { ...template, Resources: { ...resources, [DEFAULT_ROLE]: undefined } };
    // Any Ref, GetAtt or DependsOn naming the role shows up as its logical id in the JSON.
    if (JSON.stringify(others).includes(`"${DEFAULT_ROLE}"`)) return;
    delete resources[DEFAULT_ROLE];
  }
}

module.exports = DropUnusedDefaultRole;
