using System.Text.Json;
using System.Text.RegularExpressions;
using FluentValidation;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using OrderHub.Api.Messages;

namespace OrderHub.Api.Infrastructure;

/// <summary>Turns every exception into a ProblemDetails: expected refusals as 4xx, anything else as a bare 500.</summary>
public sealed partial class ProblemDetailsExceptionHandler(IProblemDetailsService problemDetails, ILogger<ProblemDetailsExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ProblemDetails problem = exception switch
        {
            ValidationException validation => new HttpValidationProblemDetails(
                validation.Errors
                    .GroupBy(e => JsonPath(e.PropertyName))
                    .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray()))
            {
                Status = StatusCodes.Status400BadRequest,
                Title = MessageCatalog.Render(Msg.Of("problem.validation"), ApiLanguage.Of(httpContext)),
            },
            ProblemException p => ToProblem(p, ApiLanguage.Of(httpContext)),
            BadHttpRequestException bad => FromBadRequest(bad, ApiLanguage.OfRefusal(httpContext)),
            _ => new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = MessageCatalog.Render(Msg.Of("problem.unexpected"), ApiLanguage.OfRefusal(httpContext)),
                Detail = MessageCatalog.Render(Msg.Of("problem.unexpected.detail"), ApiLanguage.OfRefusal(httpContext)),
            },
        };

        if (problem.Status >= 500)
        {
            LogUnhandled(logger, exception, httpContext.Request.Method, LogValue.Safe(httpContext.Request.Path.Value, 256));
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    /// <summary>
    /// The problems the framework writes on its own (status code pages: routing's 415 for a body that is not JSON, a
    /// 413 when a streamed body passed the limit while being bound), in the reader's language; every problem
    /// OrderHub writes already has its detail.
    /// </summary>
    public static void InReaderLanguage(ProblemDetailsContext context)
    {
        if (context.Exception is not null || context.ProblemDetails is not { Detail: null } problem)
        {
            return;
        }

        if (problem.Status is { } status && HostRefusal(status) is (var title, var detail))
        {
            var language = ApiLanguage.OfRefusal(context.HttpContext);
            problem.Title = MessageCatalog.Render(title, language);
            problem.Detail = MessageCatalog.Render(detail, language);
        }
    }

    /// <summary>
    /// The texts of the refusals the host writes in several places (a body over the limit, a body that is not JSON):
    /// one wording whichever path answers.
    /// </summary>
    public static (Msg Title, Msg Detail)? HostRefusal(int status) => status switch
    {
        StatusCodes.Status413PayloadTooLarge => (Msg.Of("problem.tooLarge"), Msg.Of("problem.tooLarge.detail", ("kb", RequestBodyLimit.MaxBytes / 1024))),
        StatusCodes.Status415UnsupportedMediaType => (Msg.Of("problem.mediaType"), Msg.Of("problem.mediaType.json")),
        _ => null,
    };

    /// <summary>A refusal in the request's language (<c>Accept-Language: uk</c>, else English); the field names in <c>errors</c> stay as they are.</summary>
    private static ProblemDetails ToProblem(ProblemException p, string language)
    {
        var problem = p.ErrorsIn(language) is { } fields
            ? new HttpValidationProblemDetails(fields)
            : new ProblemDetails();
        problem.Status = p.Status;
        problem.Title = p.TitleIn(language);
        problem.Detail = p.DetailIn(language);
        foreach (var (key, value) in p.Extensions.Where(e => e.Key != "errors"))
        {
            problem.Extensions[key] = value is Msg message ? MessageCatalog.Render(message, language) : value;
        }

        return problem;
    }

    /// <summary>
    /// Minimal APIs' binding failures (<c>ThrowOnBadRequest</c>): a 400 naming the parameter or the JSON path, a
    /// 413 or a 415, in <paramref name="language"/>. The request's own values are never echoed.
    /// </summary>
    private static ProblemDetails FromBadRequest(BadHttpRequestException bad, string language)
    {
        string T(string key, params (string Name, object? Value)[] args) => MessageCatalog.Render(Msg.Of(key, args), language);
        if (HostRefusal(bad.StatusCode) is (var title, var detail))
        {
            return new ProblemDetails { Status = bad.StatusCode, Title = MessageCatalog.Render(title, language), Detail = MessageCatalog.Render(detail, language) };
        }

        if (bad.StatusCode != StatusCodes.Status400BadRequest)
        {
            return new ProblemDetails { Status = bad.StatusCode, Title = T("problem.badRequest"), Detail = T("binding.unreadable") };
        }

        var (field, message) = bad.InnerException switch
        {
            JsonException { Path: { Length: > 0 } path } json when json.Message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase)
                => (JsonPathOf(path), T("binding.duplicate")),
            JsonException { Path: { Length: > 0 } path } => (JsonPathOf(path), T("binding.invalidField")),
            JsonException => ("$", T("binding.invalidJson")),
            _ when ParameterName().Match(bad.Message) is { Success: true } m => (
                JsonPath(m.Groups["name"].Value),
                bad.Message.StartsWith("Required", StringComparison.Ordinal) ? T("binding.required") : T("binding.notValid", ("type", m.Groups["type"].Value.TrimEnd('?')))),
            _ when bad.Message.Contains("no body was provided", StringComparison.Ordinal) => ("$", T("binding.bodyRequired")),
            _ => ("$", T("binding.unreadable")),
        };
        return new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = StatusCodes.Status400BadRequest,
            Title = T("problem.validation"),
            Detail = T("binding.notBound"),
        };
    }

    /// <summary>"$.items[0].kind" → "items[0].kind"; the root stays "$".</summary>
    private static string JsonPathOf(string path) => path == "$" ? "$" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;

    /// <summary>Matches minimal APIs' <c>parameter "int? page"</c> in a binding failure message.</summary>
    [GeneratedRegex("parameter \"(?<type>[^\"]*) (?<name>[A-Za-z0-9_]+)\"", RegexOptions.CultureInvariant)]
    private static partial Regex ParameterName();

    /// <summary>"Items[0].Quantity" → "items[0].quantity": the names clients send.</summary>
    private static string JsonPath(string propertyName) =>
        string.Join('.', propertyName.Split('.').Select(s => s.Length == 0 ? s : char.ToLowerInvariant(s[0]) + s[1..]));

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error on {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);
}
