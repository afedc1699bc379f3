using Atiende.Domain.Lifecycle;
using Atiende.Server.Auth;
using Atiende.Server.Data;
using Atiende.Server.Mail;
using Atiende.Server.Notifications;
using Atiende.Server.Scheduler;
using Atiende.Server.Shared;
using Atiende.Server.Sla;
using Atiende.Server.Tickets;
using Atiende.Server.Users;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Scalar.AspNetCore;

namespace Atiende.Server;

/// <summary>The table of contents: one line per feature, plus the command-line verbs.</summary>
public static class AtiendeHost
{
    public const string Usage = """
        Usage: atiende [serve] [--db <connection>] [--urls <urls>] [--data-dir <dir>]
               atiende migrate [--db <connection>]
               atiende admin create --email <email> --name <name> --password <password> [--db <connection>]
               atiende mail ingest [--account <name>] [--db <connection>] < message.eml
                   exit 0 accepted, 2 quarantined (kept), 75 failed for now (the MTA retries)

        --db        a PostgreSQL connection string (Host=...;Database=...;Username=...;Password=...)
                    or postgres://user:pass@host/db, or a SQLite file path. Default: ./data/atiende.db
        Every setting can also come from appsettings.json or ATIENDE_<NAME> environment variables.
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        var command = args.TakeWhile(a => !a.StartsWith('-')).ToArray();
        var flags = args.Skip(command.Length).ToArray();
        switch (command)
        {
            case [] or ["serve"]:
                var app = Build(flags);
                await PrepareAsync(app, printFirstAdmin: true);
                await app.RunAsync();
                return 0;
            case ["migrate"]:
                await using (var migrated = Build(flags))
                {
                    await PrepareAsync(migrated, printFirstAdmin: true);
                    Console.WriteLine("Database is up to date.");
                }

                return 0;
            case ["mail", "ingest"]:
                return await MailIngestCommand.RunAsync(Build([.. flags, "--Scheduler:Enabled", "false", "--Logging:LogLevel:Default", "Warning"]), flags, Console.OpenStandardInput());
            case ["admin", "create"]:
                return await CreateAdminCommand.RunAsync(Build(flags), flags);
            case ["help"] or ["--help"]:
                Console.WriteLine(Usage);
                return 0;
            default:
                await Console.Error.WriteLineAsync($"Unknown command '{string.Join(' ', command)}'.\n\n{Usage}");
                return 2;
        }
    }

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args });
        builder.Configuration.AddEnvironmentVariables("ATIENDE_");
        builder.Configuration.AddCommandLine(args, new Dictionary<string, string>(StringComparer.Ordinal) { ["--data-dir"] = "DataDir" });
        configure?.Invoke(builder);
        builder.WebHost.UseUrls(builder.Configuration["urls"] ?? "http://localhost:5080");

        var options = builder.Configuration.Get<AtiendeOptions>() ?? new AtiendeOptions();
        builder.Services.AddSingleton(options);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(DefaultLifecycle.Definition);
        builder.AddData(options);
        builder.AddShared();
        builder.AddAuth(options);
        builder.Services.AddSingleton<ArticleContent>();
        builder.AddSla();
        builder.AddScheduler();
        builder.AddMail();
        builder.AddMailInbound();
        builder.AddMailPolling();

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();

        app.MapOpenApi();
        app.MapScalarApiReference("/api/docs", o => o.WithTitle("Atiende API").WithOpenApiRoutePattern("/openapi/{documentName}.json"));
        app.MapGet("/", () => TypedResults.Content(Home, "text/html")).ExcludeFromDescription();

        var api = app.MapGroup("/api/v1").RequireAuthorization();
        api.MapAuthApi();
        api.MapUsersApi();
        api.MapTicketsApi();
        api.MapSlaApi();
        api.MapLifecycleTimersApi();
        api.MapNotificationsApi();
        api.MapMailOutboxApi();
        api.MapMailInboundApi();
        api.MapMailAccountsApi();
        return app;
    }

    /// <summary>Migrates the database and, on the very first start, creates the first admin.</summary>
    public static async Task PrepareAsync(WebApplication app, bool printFirstAdmin) => await PrepareAsync(app.Services, printFirstAdmin);

    public static async Task PrepareAsync(IServiceProvider services, bool printFirstAdmin)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AtiendeDb>();
        await DataSetup.MigrateAsync(db, CancellationToken.None);
        await CreateAdminCommand.EnsureFirstAdminAsync(scope.ServiceProvider, printFirstAdmin);
    }

    private const string Home = """
        <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Atiende</title></head>
        <body><h1>Atiende</h1><p>The helpdesk server is running.</p>
        <ul><li><a href="/api/docs/v1">API reference</a></li><li><a href="/openapi/v1.json">OpenAPI document</a></li></ul></body></html>
        """;
}
