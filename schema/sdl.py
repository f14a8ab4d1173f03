"""Print the served schema as SDL: `python -m schema.sdl > schema.graphql`."""

from schema import schema

if __name__ == "__main__":
    print(schema.as_str())
