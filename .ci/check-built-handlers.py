"""Check that `sam build` produced, for every Lambda function of the built template, the class
its Handler names (so a renamed or misspelt handler fails CI, not the first deploy).

Run with the Python of the CI tools venv (it has aws-sam-translator, whose YAML reader knows
CloudFormation's short-form tags): python check-built-handlers.py .aws-sam/build/template.yaml
"""

import pathlib
import sys

from samtranslator.yaml_helper import yaml_parse


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
    for name, props in sorted(functions.items()):
        handler = props.get("Handler")
        code_uri = props.get("CodeUri")
        if not isinstance(handler, str) or not isinstance(code_uri, str):
            print(f"FAIL {name}: Handler or CodeUri missing or not a plain string")
            failures += 1
            continue
        class_name = handler.split("::", 1)[0]
        class_file = build_dir / code_uri / (class_name.replace(".", "/") + ".class")
        if class_file.is_file():
            print(f"ok   {name}: {handler} -> {class_file.relative_to(build_dir)}")
        else:
            print(f"FAIL {name}: {handler} but {class_file.relative_to(build_dir)} was not built")
            failures += 1
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
