using Atiende.Domain.Tickets;
using Microsoft.EntityFrameworkCore;
using NpgsqlTypes;

namespace Atiende.Server.Data;

public sealed class PostgresAtiendeDb(DbContextOptions<PostgresAtiendeDb> options) : AtiendeDb(options)
{
    /// <summary>The shadow tsvector column on tickets (subject) and articles (body).</summary>
    public const string SearchVector = "SearchVector";

    /// <summary>
    /// A tsvector holds at most 1 MB, which a body of a million distinct words (a pasted log) overflows, failing the
    /// insert; the first 100,000 characters always fit, whatever the words.
    /// </summary>
    public const int SearchedBodyLength = 100_000;

    public override DatabaseEngine Engine => DatabaseEngine.Postgres;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);

        // Full-text search: generated tsvector columns with GIN indexes ('simple' so any language is matched as typed).
        modelBuilder.Entity<Ticket>(e =>
        {
            e.Property<NpgsqlTsVector>(SearchVector).HasComputedColumnSql("to_tsvector('simple', \"Subject\")", stored: true);
            e.HasIndex(SearchVector).HasMethod("GIN");
        });
        modelBuilder.Entity<Article>(e =>
        {
            e.Property<NpgsqlTsVector>(SearchVector).HasComputedColumnSql($"to_tsvector('simple', left(\"BodyText\", {SearchedBodyLength}))", stored: true);
            e.HasIndex(SearchVector).HasMethod("GIN");
        });
    }
}
