using Atiende.Domain.Users;
using Atiende.Server.Auth;
using Atiende.Server.Data;
using Atiende.Server.Shared;
using Microsoft.EntityFrameworkCore;

namespace Atiende.Server.Users;

/// <summary>`atiende admin create ...`, and the first admin made on first start.</summary>
public static class CreateAdminCommand
{
    public static async Task<int> RunAsync(WebApplication app, string[] flags)
    {
        await using var _ = app;
        var values = Flags(flags);
        var v = new Validation();
        var email = v.Email("--email", values.GetValueOrDefault("--email"));
        var name = v.Required("--name", values.GetValueOrDefault("--name"), 200);
        var password = v.Required("--password", values.GetValueOrDefault("--password"), 1000);
        if (password is { Length: < Passwords.MinLength })
        {
            v.Add("--password", $"--password must be at least {Passwords.MinLength} characters.");
        }

        if (!v.IsValid)
        {
            foreach (var message in v.Errors.SelectMany(e => e.Value))
            {
                await Console.Error.WriteLineAsync(message);
            }

            return 2;
        }

        await AtiendeHost.PrepareAsync(app, printFirstAdmin: false);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AtiendeDb>();
        if (await db.Users.AnyAsync(u => u.Email == email))
        {
            await Console.Error.WriteLineAsync($"A user with email '{email}' already exists.");
            return 1;
        }

        var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow();
        var admin = new User { Email = email!, Name = name!, Role = UserRole.Admin, CreatedAt = now, UpdatedAt = now };
        admin.PasswordHash = scope.ServiceProvider.GetRequiredService<Passwords>().Hash(admin, password!);
        db.Users.Add(admin);
        await db.SaveChangesAsync();
        Console.WriteLine($"Created admin {admin.Email} (id {admin.Id}).");
        return 0;
    }

    public static async Task EnsureFirstAdminAsync(IServiceProvider services, bool print)
    {
        var db = services.GetRequiredService<AtiendeDb>();
        if (await db.Users.AnyAsync(u => u.Role == UserRole.Admin))
        {
            return;
        }

        var options = services.GetRequiredService<AtiendeOptions>();
        var password = options.AdminPassword ?? Passwords.Generate();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var admin = new User { Email = options.AdminEmail.ToLowerInvariant(), Name = "Administrator", Role = UserRole.Admin, CreatedAt = now, UpdatedAt = now };
        admin.PasswordHash = services.GetRequiredService<Passwords>().Hash(admin, password);
        db.Users.Add(admin);
        await db.SaveChangesAsync();
        if (print)
        {
            Console.WriteLine($"""

                ==============================================================
                 First start: created the admin account
                   email:    {admin.Email}
                   password: {password}
                 Keep it safe; change it with PATCH /api/v1/users/{admin.Id}.
                ==============================================================

                """);
        }
    }

    private static Dictionary<string, string> Flags(string[] flags)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < flags.Length; i += 2)
        {
            values[flags[i]] = flags[i + 1];
        }

        return values;
    }
}
