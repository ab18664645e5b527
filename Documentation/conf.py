# SPDX-License-Identifier: GPL-2.0
#
# Sphinx configuration of the nstree book (make docs): the labs, their
# pictures and the design. Sphinx 5.3 and Graphviz as Debian 12 ships
# them (python3-sphinx, graphviz), the bundled theme: nothing downloaded.

project = "nstree"
author = "the nstree authors"
copyright = "the nstree authors, GPL-2.0"

root_doc = "index"
extensions = ["sphinx.ext.graphviz"]

# The labs' pictures: each Documentation/labs/output/LAB.LINE.dot, the
# graph a lab's own `nstree tree --format=dot` step printed in the guest,
# drawn with `dot -Tsvg` into the build.
graphviz_dot = "dot"
graphviz_output_format = "svg"

# The literal blocks are transcripts, not code in a language.
highlight_language = "none"

html_theme = "alabaster"
html_title = "nstree"
html_show_sourcelink = False
html_copy_source = False
html_last_updated_fmt = None
