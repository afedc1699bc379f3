namespace Atiende.Server.Auth;

public static class AuthApi
{
    public const string SignInRateLimit = "sign-in";

    public static RouteGroupBuilder MapAuthApi(this RouteGroupBuilder api)
    {
        var auth = api.MapGroup("/auth").WithTags("Auth");
        auth.MapPost("/tokens", CreateToken.Handle).AllowAnonymous().RequireRateLimiting(SignInRateLimit)
            .WithName("CreateToken").WithSummary("Check a password and create a personal API token (shown once).");
        auth.MapGet("/tokens", ManageTokens.List).WithName("ListTokens").WithSummary("List my API tokens.");
        auth.MapDelete("/tokens/{id:long}", ManageTokens.Revoke).WithName("RevokeToken").WithSummary("Revoke an API token.");
        auth.MapGet("/me", ManageTokens.Me).WithName("Me").WithSummary("Who the token belongs to.");
        return api;
    }
}
