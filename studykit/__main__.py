from studykit.entry import main

main()
