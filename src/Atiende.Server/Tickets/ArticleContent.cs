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
        var html = Markdown.ToHtml(text, Pipeline);

        // With raw HTML disabled, Markdig escapes all text; only links and images carry anything a browser acts on,
        // so the (costly) sanitizer runs just for output that has them.
        return (text, html.Contains("href=", StringComparison.Ordinal) || html.Contains("src=", StringComparison.Ordinal) ? _sanitizer.Sanitize(html) : html);
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
