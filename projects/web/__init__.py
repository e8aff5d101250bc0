"""What the pages of every concern share: mixins, the list-view base, forms and columns."""
