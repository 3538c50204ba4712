using System.Diagnostics;
using MediatR;

namespace OrderHub.Api.Infrastructure;

/// <summary>Logs each request's name and duration in a scope. Never the payload: it carries personal data.</summary>
public sealed partial class LoggingBehavior<TRequest, TResponse>(ILogger<LoggingBehavior<TRequest, TResponse>> logger)
    : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        var name = typeof(TRequest).Name;
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["Request"] = name });
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await next();
            LogHandled(logger, name, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return response;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The caller went away (a client timeout): not a fault of ours, and cheap to note under overload.
            LogCancelled(logger, name, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            throw;
        }
        catch (Exception ex) when (ex is not FluentValidation.ValidationException and not ProblemException)
        {
            LogFailed(logger, ex, name, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Request} handled in {ElapsedMs:F1} ms")]
    private static partial void LogHandled(ILogger logger, string request, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Request} cancelled by the caller after {ElapsedMs:F1} ms")]
    private static partial void LogCancelled(ILogger logger, string request, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Request} failed after {ElapsedMs:F1} ms")]
    private static partial void LogFailed(ILogger logger, Exception exception, string request, double elapsedMs);
}
