namespace LarkPS.HelpGen;

/// <summary>A block of help text as the markdown has it, before it is laid out for a width.</summary>
internal abstract record HelpBlock(int Line);

/// <summary>Prose: one paragraph, wrapped to the width it lands in.</summary>
internal sealed record ProseBlock(int Line, string Text) : HelpBlock(Line);

/// <summary>A fenced block (code, a preformatted table): its lines as written, never wrapped.</summary>
internal sealed record FencedBlock(int Line, string Info, IReadOnlyList<string> Lines) : HelpBlock(Line);

/// <summary>A bulleted or numbered list; each item is prose.</summary>
internal sealed record ListBlock(int Line, bool Ordered, IReadOnlyList<string> Items) : HelpBlock(Line);

/// <summary>A pipe table: the header row, then the rows; cells are prose, wrapped inside their column.</summary>
internal sealed record TableBlock(int Line, IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows) : HelpBlock(Line);

/// <summary>An HTML comment in the markdown: invisible in the help, read by the generator and the doctests.</summary>
internal sealed record CommentBlock(int Line, string Text) : HelpBlock(Line);
