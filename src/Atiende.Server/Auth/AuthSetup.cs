using System.Threading.RateLimiting;
using Atiende.Domain.Users;
using Atiende.Server.Shared;
using Atiende.Server.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;

namespace Atiende.Server.Auth;

public static class AuthSetup
{
    public static void AddAuth(this WebApplicationBuilder builder, AtiendeOptions options)
    {
        builder.Services.AddSingleton<Passwords>();
        builder.Services.AddSingleton<ViewerCache>();
        builder.Services.AddAuthentication(BearerTokenHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(UsersApi.StaffOnly, p => p.RequireRole(nameof(UserRole.Agent), nameof(UserRole.Admin)))
            .AddPolicy(UsersApi.AdminOnly, p => p.RequireRole(nameof(UserRole.Admin)));

        // Password guessing is slowed per client address; the hasher's cost does the rest.
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(AuthApi.SignInRateLimit, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "local",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = options.SignInPermitsPerMinute, Window = TimeSpan.FromMinutes(1) }));
            o.OnRejected = async (context, cancellationToken) =>
            {
                var problems = context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails = new ProblemDetails
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many attempts",
                        Detail = "Too many sign-in attempts from this address; wait a minute and try again.",
                    },
                });
            };
        });
    }
}
