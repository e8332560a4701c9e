"""What the EPUB writer puts in the book besides the articles' text.

- :mod:`.cover`: the cover picture, rendered from the printed front page;
- :mod:`.images`: reading copies of the photos, scaled down for screens;
- :mod:`.fonts`: subsets of the print fonts, each face cut to the characters it shows.
"""
