using System.Collections;
using System.Reflection;
using FluentValidation.Results;

namespace OrderHub.Api.Infrastructure;

/// <summary>
/// No text from a client may carry a NUL or another C0 control character except tab, CR and LF: PostgreSQL
/// refuses NUL in text (a 500 on one provider, stored on the other), and none belongs in a name or an id.
/// Checked on every request of this assembly (its records and lists of them), so a new command is covered too.
/// </summary>
public static class ControlCharacterRule
{
    private const int MaxDepth = 4;

    public static IEnumerable<ValidationFailure> Check(object request) => Walk(request, "", 0);

    private static IEnumerable<ValidationFailure> Walk(object value, string path, int depth)
    {
        if (depth > MaxDepth || value.GetType().Assembly != typeof(ControlCharacterRule).Assembly)
        {
            yield break;
        }

        foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.GetMethod is null)
            {
                continue;
            }

            var name = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
            switch (property.GetValue(value))
            {
                case string text when text.Any(IsForbidden):
                    yield return new ValidationFailure(name, "Control characters (such as NUL) are not allowed.");
                    break;
                case string:
                    break;
                case IEnumerable items:
                    var i = 0;
                    foreach (var item in items)
                    {
                        if (item is string s && s.Any(IsForbidden))
                        {
                            yield return new ValidationFailure($"{name}[{i}]", "Control characters (such as NUL) are not allowed.");
                        }
                        else if (item is not null and not string)
                        {
                            foreach (var failure in Walk(item, $"{name}[{i}]", depth + 1))
                            {
                                yield return failure;
                            }
                        }

                        i++;
                    }

                    break;
                case { } nested:
                    foreach (var failure in Walk(nested, name, depth + 1))
                    {
                        yield return failure;
                    }

                    break;
            }
        }
    }

    private static bool IsForbidden(char c) => c < ' ' && c is not '\t' and not '\r' and not '\n';
}
