using System.Text;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using System.Text.Unicode;

namespace Atiende.Server.Mail;

public enum MailTemplate
{
    Acknowledgement,
    AgentReply,
    Resolved,
    Closed,
}

/// <summary>A value for a placeholder: its plain text, and the HTML to use instead of the encoded text (already safe).</summary>
public sealed record MailValue(string Text, string? Html = null);

/// <summary>A rendered mail: the subject (without the ticket tag), the plain-text body and its HTML alternative.</summary>
public sealed record RenderedMail(string Subject, string Text, string Html);

/// <summary>
/// The built-in mail templates in English and Spanish, picked by the requester's locale. Placeholders like
/// {{ticket.id}} are replaced in one pass (a value that itself looks like a placeholder stays as it is; nothing runs),
/// and the HTML part is made from the same text with every value HTML-encoded. Editable templates and a real engine
/// come with automation.
/// </summary>
public static partial class MailTemplates
{
    private sealed record Template(string Subject, string Body);

    // Only markup characters are escaped; "Lucía" stays readable in the source of the HTML part.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    private static readonly Dictionary<(MailTemplate, string), Template> Templates = new()
    {
        [(MailTemplate.Acknowledgement, "en")] = new("Re: {{ticket.subject}}", """
            Hello {{requester.name}},

            We received your message and opened ticket #{{ticket.id}}: "{{ticket.subject}}". An agent will get back to you soon.

            To add anything, reply to this email and keep [#{{ticket.id}}] in the subject.

            --
            This is an automatic message.
            """),
        [(MailTemplate.Acknowledgement, "es")] = new("Re: {{ticket.subject}}", """
            Hola, {{requester.name}}:

            Hemos recibido tu mensaje y abierto el ticket #{{ticket.id}}: «{{ticket.subject}}». Un agente te responderá pronto.

            Para añadir algo, responde a este correo y conserva [#{{ticket.id}}] en el asunto.

            --
            Este es un mensaje automático.
            """),
        [(MailTemplate.AgentReply, "en")] = new("Re: {{ticket.subject}}", """
            {{reply}}

            --
            Reply to this email to add to ticket #{{ticket.id}}.
            """),
        [(MailTemplate.AgentReply, "es")] = new("Re: {{ticket.subject}}", """
            {{reply}}

            --
            Responde a este correo para añadir algo al ticket #{{ticket.id}}.
            """),
        [(MailTemplate.Resolved, "en")] = new("Resolved: {{ticket.subject}}", """
            Hello {{requester.name}},

            We consider ticket #{{ticket.id}} "{{ticket.subject}}" resolved.

            If the solution works for you, please confirm it here:
            {{confirm.url}}

            If it does not, just reply to this email and the ticket will be reopened.

            --
            This is an automatic message.
            """),
        [(MailTemplate.Resolved, "es")] = new("Resuelto: {{ticket.subject}}", """
            Hola, {{requester.name}}:

            Consideramos resuelto el ticket #{{ticket.id}} «{{ticket.subject}}».

            Si la solución te sirve, confírmalo aquí:
            {{confirm.url}}

            Si no, responde a este correo y el ticket se reabrirá.

            --
            Este es un mensaje automático.
            """),
        [(MailTemplate.Closed, "en")] = new("Closed: {{ticket.subject}}", """
            Hello {{requester.name}},

            Ticket #{{ticket.id}} "{{ticket.subject}}" is now closed. Thank you for contacting us.

            If you need anything else, reply to this email and we will open a new ticket linked to this one.

            --
            This is an automatic message.
            """),
        [(MailTemplate.Closed, "es")] = new("Cerrado: {{ticket.subject}}", """
            Hola, {{requester.name}}:

            El ticket #{{ticket.id}} «{{ticket.subject}}» está cerrado. Gracias por contactar con nosotros.

            Si necesitas algo más, responde a este correo y abriremos un ticket nuevo vinculado a este.

            --
            Este es un mensaje automático.
            """),
    };

    /// <summary>"es", "es-MX", "ES" read Spanish; everything else English.</summary>
    public static string Language(string? locale) =>
        locale is not null && locale.StartsWith("es", StringComparison.OrdinalIgnoreCase) ? "es" : "en";

    public static RenderedMail Render(MailTemplate template, string? locale, IReadOnlyDictionary<string, MailValue> values)
    {
        var t = Templates[(template, Language(locale))];
        var subject = Fill(t.Subject, values, v => OneLine(v.Text));
        // "-- " (with its space) is the signature delimiter mail readers know; the templates hold it without, safe from editors.
        var text = Fill(t.Body.Replace("\n--\n", "\n-- \n", StringComparison.Ordinal), values, v => v.Text);
        return new RenderedMail(subject, text, Html(t.Body, values));
    }

    /// <summary>A link placeholder: plain URL in the text part, an anchor in the HTML part.</summary>
    public static MailValue Link(string url)
    {
        var encoded = Encode(url);
        return new MailValue(url, $"<a href=\"{encoded}\">{encoded}</a>");
    }

    private static string Fill(string template, IReadOnlyDictionary<string, MailValue> values, Func<MailValue, string> pick) =>
        Placeholder().Replace(template, m => values.TryGetValue(m.Groups[1].Value, out var value) ? pick(value) : "");

    /// <summary>Paragraphs become &lt;p&gt;, lines &lt;br&gt;, the "-- " signature a muted footer; a paragraph that is one HTML value stays a block.</summary>
    private static string Html(string body, IReadOnlyDictionary<string, MailValue> values)
    {
        var html = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>\n");
        foreach (var paragraph in body.ReplaceLineEndings("\n").Split("\n\n"))
        {
            var lines = paragraph.Split('\n').ToList();
            if (Placeholder().Match(paragraph.Trim()) is { Success: true } only && only.Length == paragraph.Trim().Length
                && values.TryGetValue(only.Groups[1].Value, out var block) && block.Html is not null)
            {
                html.Append(block.Html).Append('\n');
                continue;
            }

            var footer = lines[0] == "--";
            html.Append(footer ? "<hr><p style=\"color:#666;font-size:smaller\">" : "<p>")
                .AppendJoin("<br>\n", lines.Skip(footer ? 1 : 0).Select(line => HtmlLine(line, values)))
                .Append("</p>\n");
        }

        return html.Append("</body></html>\n").ToString();
    }

    private static string HtmlLine(string line, IReadOnlyDictionary<string, MailValue> values)
    {
        var html = new StringBuilder();
        var at = 0;
        foreach (Match m in Placeholder().Matches(line))
        {
            html.Append(Encode(line[at..m.Index]));
            if (values.TryGetValue(m.Groups[1].Value, out var value))
            {
                html.Append(value.Html ?? Encode(value.Text).ReplaceLineEndings("<br>\n"));
            }

            at = m.Index + m.Length;
        }

        return html.Append(Encode(line[at..])).ToString();
    }

    private static string Encode(string text) => Encoder.Encode(text);

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries));

    [GeneratedRegex(@"\{\{\s*([a-z]+(?:\.[a-z]+)*)\s*\}\}")]
    private static partial Regex Placeholder();
}
