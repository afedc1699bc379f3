using System.Text.RegularExpressions;

namespace Atiende.Domain.Mail;

/// <summary>The new text of a reply and what it quotes or signs off with; the original stays stored as well.</summary>
public sealed record FoldedText(string Visible, string Folded);

/// <summary>Folds quoted history and signatures away from the visible part of a plain-text mail body.</summary>
public static partial class QuoteFolding
{
    public static FoldedText Fold(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var cut = lines.Length;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line == "-- " || line == "--" || AttributionPattern().IsMatch(line) || OriginalMessagePattern().IsMatch(line)
                || (line.StartsWith('>') && lines.Skip(i).Where(l => l.Trim().Length > 0).All(l => l.StartsWith('>'))))
            {
                cut = i;
                break;
            }
        }

        var visible = string.Join('\n', lines.Take(cut)).TrimEnd();
        var folded = string.Join('\n', lines.Skip(cut)).Trim();

        // Never fold everything away: a message that is all quote keeps its text visible.
        return visible.Length == 0 ? new FoldedText(text.Trim(), "") : new FoldedText(visible, folded);
    }

    // "On Mon, 1 Jan 2026 at 10:00, Ana <ana@x> wrote:" / "El lun, 1 ene 2026, Ana escribió:" / "Am ... schrieb ...:"
    [GeneratedRegex(@"^\s*(On|El|Le|Am|Il|Em)\s.{0,200}(wrote|escribió|a écrit|schrieb|ha scritto|escreveu)\s*:\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex AttributionPattern();

    [GeneratedRegex(@"^\s*-{2,}\s*(Original Message|Mensaje original|Message d'origine|Ursprüngliche Nachricht|Forwarded message)\s*-{2,}\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex OriginalMessagePattern();
}
