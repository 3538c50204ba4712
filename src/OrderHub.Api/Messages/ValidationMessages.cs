using FluentValidation;

namespace OrderHub.Api.Messages;

/// <summary>
/// Our own FluentValidation messages as catalog keys, rendered when the rule fails in the reader's language (the
/// request's UI culture: the panel's choice or the API's Accept-Language). FluentValidation's built-in messages
/// follow the same culture through its LanguageManager.
/// </summary>
public static class ValidationMessages
{
    public static IRuleBuilderOptions<T, TProperty> WithMessageKey<T, TProperty>(
        this IRuleBuilderOptions<T, TProperty> rule, string key, params (string Name, object? Value)[] args) =>
        rule.WithMessage(_ => MessageCatalog.Render(Msg.Of(key, args), MessageCatalog.CurrentLanguage));
}
