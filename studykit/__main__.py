from studykit.cli.entry import main

main()
