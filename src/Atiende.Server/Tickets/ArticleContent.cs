using Ganss.Xss;
using Markdig;

namespace Atiende.Server.Tickets;

/// <summary>An article body is kept as the text that was written and as sanitized HTML rendered from it (Markdown).</summary>
public sealed class ArticleContent
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().DisableHtml().UseAutoLinks().UseSoftlineBreakAsHardlineBreak().Build();
    private readonly HtmlSanitizer _sanitizer = CreateSanitizer();

    public (string Text, string Html) Render(string body)
    {
        var text = body.Replace("\r\n", "\n", StringComparison.Ordinal);
        return (text, _sanitizer.Sanitize(Markdown.ToHtml(text, Pipeline)));
    }

    /// <summary>HTML from elsewhere (a mail body): scripts, handlers and remote tricks removed; cid: images kept.</summary>
    public string Sanitize(string html) => _sanitizer.Sanitize(html);

    private static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = new HtmlSanitizer();
        sanitizer.AllowedSchemes.Add("cid");
        sanitizer.AllowedSchemes.Add("mailto");
        return sanitizer;
    }
}
