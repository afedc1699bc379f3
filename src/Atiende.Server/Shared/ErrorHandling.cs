using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace Atiende.Server.Shared;

/// <summary>
/// The one error path: whatever escapes a handler becomes problem details with a clear detail and never a stack trace.
/// </summary>
public sealed class ErrorHandler(IProblemDetailsService problems, ILogger<ErrorHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail) = exception switch
        {
            BadHttpRequestException { InnerException: JsonException json } => (400, "Malformed JSON", DescribeJson(json)),
            BadHttpRequestException bad when bad.StatusCode == 413 => (413, "Payload too large", bad.Message),
            BadHttpRequestException bad => (bad.StatusCode, "Bad request", bad.Message),
            JsonException json => (400, "Malformed JSON", DescribeJson(json)),
            OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested => (499, "Client closed request", "The request was cancelled."),
            _ => (500, "Internal error", "Something went wrong on our side. It has been logged; please retry or report the trace id."),
        };

        if (status >= 500)
        {
            logger.LogError(exception, "Unhandled error on {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
        }

        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }

    private static string DescribeJson(JsonException json) =>
        json.Path is { Length: > 0 } path
            ? $"The request body is not valid JSON or has a value of the wrong type at '{path}'."
            : "The request body is not valid JSON.";
}
