namespace Atiende.Server.Shared;

public static class SharedSetup
{
    public static void AddShared(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Detail ??= context.ProblemDetails.Status switch
            {
                401 => "Sign in first: send Authorization: Bearer <token>, from POST /api/v1/auth/tokens.",
                403 => "Your role does not allow this.",
                404 => "There is nothing at this address.",
                405 => "This address does not accept that method.",
                _ => null,
            };
        });
        builder.Services.AddExceptionHandler<ErrorHandler>();
        builder.Services.ConfigureHttpJsonOptions(o => Json.Configure(o.SerializerOptions));
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddOpenApi();
    }
}
