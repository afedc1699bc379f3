using Atiende.Server.Data;

namespace Atiende.Server.Scheduler;

public sealed class SchedulerOptions
{
    public bool Enabled { get; set; } = true;
    public int IntervalMilliseconds { get; set; } = 1000;
    public int BatchSize { get; set; } = 500;
    public int MaxPerPass { get; set; } = 20_000;
    public int LeaseSeconds { get; set; } = 15;
}

/// <summary>
/// The one scheduler for all time-based work, run in every server process: whichever holds the database lease does
/// the pass. Work is found by due times, so a pass after a restart simply catches up on everything now due.
/// </summary>
public sealed class TicketScheduler(IServiceScopeFactory scopes, TimeProvider clock, SchedulerOptions options, ILogger<TicketScheduler> logger)
    : BackgroundService
{
    public const string LeaseName = "scheduler";

    public string Owner { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Enabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "Scheduler pass failed; retrying at the next interval");
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(options.IntervalMilliseconds), clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    public async Task<SchedulerPass> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AtiendeDb>();
        var lease = TimeSpan.FromSeconds(options.LeaseSeconds);
        if (!await Leases.TryAcquireAsync(db, LeaseName, Owner, clock.GetUtcNow(), lease, cancellationToken))
        {
            return new SchedulerPass(false, new Dictionary<string, int>());
        }

        var work = scope.ServiceProvider.GetRequiredService<RunDueWork>();
        var pass = await work.RunAsync(clock.GetUtcNow(), options.BatchSize, options.MaxPerPass,
            async () => await Leases.TryAcquireAsync(db, LeaseName, Owner, clock.GetUtcNow(), lease, cancellationToken), cancellationToken);
        if (pass.Total > 0 && logger.IsEnabled(LogLevel.Information))
        {
            logger.LogInformation("Scheduler pass: {Work}", string.Join(", ", pass.Done.Where(d => d.Value > 0).Select(d => $"{d.Key} {d.Value}")));
        }

        return pass;
    }
}

public static class SchedulerSetup
{
    public static void AddScheduler(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("Scheduler").Get<SchedulerOptions>() ?? new SchedulerOptions();
        builder.Services.AddSingleton(options);
        builder.Services.AddScoped<RunDueWork>();
        builder.Services.AddSingleton<TicketScheduler>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TicketScheduler>());
    }
}
