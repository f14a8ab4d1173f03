"""Print the served schema as SDL: `python -m spacerace.schema.sdl > schema.graphql`."""

from spacerace.schema import schema

if __name__ == "__main__":
    print(schema.as_str())
