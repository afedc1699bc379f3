using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Atiende.Server.Data;

public sealed class SqliteAtiendeDb(DbContextOptions<SqliteAtiendeDb> options) : AtiendeDb(options)
{
    public override DatabaseEngine Engine => DatabaseEngine.Sqlite;

    // SQLite cannot compare or order DateTimeOffset text in SQL; UTC ticks sort and compare as numbers.
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<UtcTicksConverter>();
    }

    private sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
        v => v.UtcTicks,
        v => new DateTimeOffset(v, TimeSpan.Zero));
}
