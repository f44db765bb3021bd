"""The start pages: the landing redirect and the overview for roles without an area of their own."""
