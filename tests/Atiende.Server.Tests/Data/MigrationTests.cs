using Atiende.Server.Data;
using Atiende.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Atiende.Server.Tests.Data;

/// <summary>Each engine keeps its own migrations; they must bring a database exactly to the model, with nothing left over.</summary>
public sealed class MigrationTests
{
    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task MigratedDatabase_HasNoPendingMigrations(Engine engine)
    {
        var app = await TestApp.Get(engine);

        var (pending, applied, known) = await app.WithDbAsync(async db =>
            ((await db.Database.GetPendingMigrationsAsync()).ToList(), (await db.Database.GetAppliedMigrationsAsync()).ToList(), db.Database.GetMigrations().ToList()));

        Assert.Empty(pending);
        Assert.NotEmpty(applied);
        Assert.Equal(known, applied);
    }

    [Theory]
    [MemberData(nameof(TestApp.Engines), MemberType = typeof(TestApp))]
    public async Task Model_HasNoChangesMissingFromTheMigrations(Engine engine)
    {
        var app = await TestApp.Get(engine);

        var (actualEngine, drift) = await app.WithDbAsync(db => Task.FromResult((db.Engine, db.Database.HasPendingModelChanges())));

        Assert.Equal(engine == Engine.Sqlite ? DatabaseEngine.Sqlite : DatabaseEngine.Postgres, actualEngine);
        Assert.False(drift, $"The {actualEngine} model has changes no migration holds: run 'dotnet ef migrations add' for {actualEngine}.");
    }
}
