using System.Text;
using Atiende.Domain.Tickets;
using Atiende.Server.Data;
using Microsoft.EntityFrameworkCore;
using NpgsqlTypes;

namespace Atiende.Server.Tickets;

/// <summary>
/// Full text over subjects and article bodies with each engine's own index: FTS5 tables kept by triggers on SQLite,
/// generated tsvector columns with GIN indexes on PostgreSQL. Internal notes are searched for staff only.
/// </summary>
public static class TicketSearch
{
    public static IQueryable<Ticket> Matching(this IQueryable<Ticket> tickets, AtiendeDb db, string text, bool includeInternal)
    {
        if (db.Engine == DatabaseEngine.Postgres)
        {
            var articleHits = db.Articles
                .Where(a => (includeInternal || !a.Internal)
                    && EF.Property<NpgsqlTsVector>(a, PostgresAtiendeDb.SearchVector).Matches(EF.Functions.PlainToTsQuery("simple", text)))
                .Select(a => a.TicketId);
            return tickets.Where(t => EF.Property<NpgsqlTsVector>(t, PostgresAtiendeDb.SearchVector).Matches(EF.Functions.PlainToTsQuery("simple", text))
                || articleHits.Contains(t.Id));
        }

        var match = ToFts5Query(text);
        var internalFlag = includeInternal ? 1 : 0;
        var hits = db.Database.SqlQuery<long>(
            $"""
            SELECT rowid AS "Value" FROM ticket_fts WHERE ticket_fts MATCH {match}
            UNION
            SELECT ticket_id AS "Value" FROM article_fts WHERE article_fts MATCH {match} AND (internal = 0 OR {internalFlag} = 1)
            """);
        return tickets.Where(t => hits.Contains(t.Id));
    }

    /// <summary>Each word quoted, so user input is never read as FTS5 query syntax; words are ANDed.</summary>
    public static string ToFts5Query(string text)
    {
        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var query = new StringBuilder();
        foreach (var word in words.Take(20))
        {
            query.Append(query.Length > 0 ? " " : "").Append('"').Append(word.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
        }

        return query.Length == 0 ? "\"\"" : query.ToString();
    }
}
