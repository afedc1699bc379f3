using System.Globalization;
using Atiende.Server.Data;

namespace Atiende.Bench;

/// <summary>The command line, and the sizes it implies.</summary>
public sealed record BenchOptions(DatabaseEngine Engine, string? PgAdmin, int Tickets, bool Quick)
{
    public const string Usage = """
        Usage: dotnet run -c Release --project bench/Atiende.Bench -- --engine sqlite|postgres [--pg "<connection>"] [--tickets N] [--quick]

        --engine    the database to measure: a fresh SQLite file, or a fresh database on the --pg server
        --pg        an Npgsql connection string of a PostgreSQL superuser (the bench creates and drops its own database)
        --tickets   the largest list size (default 1,000,000; lists are also measured at a tenth of it)
        --quick     a smoke run: 2,000 creations, 10,000 tickets; bench/results/ is left alone
        """;

    public int Clients => 16;
    public int Warmup => Quick ? 200 : 1_000;
    public int CreationsOneClient => Quick ? 500 : 3_000;
    public int CreationsManyClients => Quick ? 2_000 : 20_000;

    /// <summary>Sequential requests per round of a list or thread figure (after as many to warm up).</summary>
    public int Requests => 200;

    public int[] ListSizes => [Tickets / 10, Tickets];

    public static BenchOptions? Parse(string[] args)
    {
        string? engine = null, pg = null;
        int? tickets = null;
        var quick = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--engine" when i + 1 < args.Length:
                    engine = args[++i];
                    break;
                case "--pg" when i + 1 < args.Length:
                    pg = args[++i];
                    break;
                case "--tickets" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 100:
                    tickets = n;
                    i++;
                    break;
                case "--quick":
                    quick = true;
                    break;
                default:
                    return null;
            }
        }

        return engine switch
        {
            "sqlite" => new BenchOptions(DatabaseEngine.Sqlite, null, tickets ?? (quick ? 10_000 : 1_000_000), quick),
            "postgres" when !string.IsNullOrEmpty(pg) => new BenchOptions(DatabaseEngine.Postgres, pg, tickets ?? (quick ? 10_000 : 1_000_000), quick),
            _ => null,
        };
    }

    /// <summary>The repository this program runs in (found from the working directory up), or the working directory.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Atiende.slnx")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }

    public static string ResultsDirectory() => Directory.CreateDirectory(Path.Combine(RepositoryRoot(), "bench", "results")).FullName;
}
