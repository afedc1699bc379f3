using Atiende.Domain.Tickets;
using Microsoft.EntityFrameworkCore;
using NpgsqlTypes;

namespace Atiende.Server.Data;

public sealed class PostgresAtiendeDb(DbContextOptions<PostgresAtiendeDb> options) : AtiendeDb(options)
{
    /// <summary>The shadow tsvector column on tickets (subject) and articles (body).</summary>
    public const string SearchVector = "SearchVector";

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
            e.Property<NpgsqlTsVector>(SearchVector).HasComputedColumnSql("to_tsvector('simple', \"BodyText\")", stored: true);
            e.HasIndex(SearchVector).HasMethod("GIN");
        });
    }
}
