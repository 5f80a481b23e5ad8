from builder.cli import cli

cli(prog_name="gongkai")
