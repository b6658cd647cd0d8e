"""tmwatch: monitor media reports of detentions and deportations of Turkmen activists."""

__version__ = "0.1.0"
