from kxassess.cli import main

main()
