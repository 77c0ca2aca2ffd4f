"""Live work on a meeting folder: saving from the browser while minutes are taken (`edit`), used by
`referat serve`."""
