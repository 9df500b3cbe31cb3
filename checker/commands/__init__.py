"""One module per subcommand: `add_parser(subparsers)` defines it, `run(args)` carries it out."""
