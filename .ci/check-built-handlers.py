"""Check that `sam build` produced, for every Lambda function of the built template, its own
artifact: the directory its CodeUri names (its package group's, functions/target/lambda/<group>,
which `./mvnw package` lays out and sam build takes as it is: Metadata SkipBuild) holds the class
its Handler names and a lib/ of jars, and is at most 20 MB unzipped (what sam deploy zips and
uploads for that function). So a renamed or misspelt handler, a function pointed at a package
without its class, or a package past the target fails CI, not the first deploy.

Run with the Python of the CI tools venv (it has aws-sam-translator, whose YAML reader knows
CloudFormation's short-form tags): python check-built-handlers.py .aws-sam/build/template.yaml
"""

import pathlib
import sys

from samtranslator.yaml_helper import yaml_parse

# The project's target for one function's package, unzipped (FunctionPackageSizeTest checks the same).
PACKAGE_LIMIT_BYTES = 20_000_000


def main(built_template: str) -> int:
    template_path = pathlib.Path(built_template)
    build_dir = template_path.parent
    template = yaml_parse(template_path.read_text(encoding="utf-8"))
    function_types = ("AWS::Serverless::Function", "AWS::Lambda::Function")
    resources = template.get("Resources", {})
    # Fn::ForEach loops (AWS::LanguageExtensions) stay in the built template for CloudFormation
    # to expand. They make log groups, roles and alarms; a function inside one would escape this
    # check, so that is refused.
    for name, loop in resources.items():
        if name.startswith("Fn::ForEach::"):
            fragment = loop[2] if isinstance(loop, list) and len(loop) == 3 else {}
            looped = [key for key, value in fragment.items()
                      if isinstance(value, dict) and value.get("Type") in function_types]
            if looped:
                print(f"FAIL {name}: functions {looped} in a Fn::ForEach loop are not checked; declare them one by one")
                return 1
    functions = {
        name: resource.get("Properties", {})
        for name, resource in resources.items()
        if isinstance(resource, dict) and resource.get("Type") in function_types
    }
    if not functions:
        print(f"no Lambda function found in {template_path}")
        return 1

    failures = 0
    sizes = {}
    for name, props in sorted(functions.items()):
        handler = props.get("Handler")
        code_uri = props.get("CodeUri")
        if not isinstance(handler, str) or not isinstance(code_uri, str):
            print(f"FAIL {name}: Handler or CodeUri missing or not a plain string")
            failures += 1
            continue
        class_name = handler.split("::", 1)[0]
        artifact = (build_dir / code_uri).resolve()
        class_file = build_dir / code_uri / (class_name.replace(".", "/") + ".class")
        if not class_file.is_file():
            print(f"FAIL {name}: {handler} but {class_file.relative_to(build_dir)} was not built"
                  " (./mvnw package lays out functions/target/lambda/<group>/ before sam build)")
            failures += 1
            continue
        jars = sorted((artifact / "lib").glob("*.jar"))
        if not jars:
            print(f"FAIL {name}: {code_uri} has no lib/*.jar: not a package laid out by ./mvnw package")
            failures += 1
            continue
        if artifact not in sizes:
            sizes[artifact] = sum(f.stat().st_size for f in artifact.rglob("*") if f.is_file())
        size = sizes[artifact]
        if size > PACKAGE_LIMIT_BYTES:
            print(f"FAIL {name}: {code_uri} is {size / 1e6:.2f} MB unzipped, over the {PACKAGE_LIMIT_BYTES / 1e6:.0f} MB target")
            failures += 1
            continue
        print(f"ok   {name}: {handler} -> {class_file.relative_to(build_dir)} ({len(jars)} jars, {size / 1e6:.2f} MB)")
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
