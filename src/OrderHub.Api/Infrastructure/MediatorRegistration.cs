using System.Reflection;
using FluentValidation;
using MediatR;

namespace OrderHub.Api.Infrastructure;

/// <summary>MediatR 5.1 has no AddMediatR: this registers the mediator, handlers, validators and behaviors.</summary>
public static class MediatorRegistration
{
    public static IServiceCollection AddOrderHubMediator(this IServiceCollection services, Assembly assembly)
    {
        services.AddScoped<ServiceFactory>(sp => sp.GetService!);
        services.AddScoped<IMediator, Mediator>();

        foreach (var type in assembly.GetTypes().Where(t => t is { IsAbstract: false, IsInterface: false, IsGenericTypeDefinition: false }))
        {
            foreach (var contract in type.GetInterfaces().Where(i => i.IsGenericType))
            {
                var definition = contract.GetGenericTypeDefinition();
                if (definition == typeof(IRequestHandler<,>) || definition == typeof(INotificationHandler<>) || definition == typeof(IValidator<>))
                {
                    services.AddScoped(contract, type);
                }
            }
        }

        // Execution order: logging (scope + elapsed) → validation. Transactions are the handlers' own, so a
        // handler can answer "duplicate" after a unique-key violation without a behavior swallowing it.
        services.AddScoped(typeof(IPipelineBehavior<,>), typeof(LoggingBehavior<,>));
        services.AddScoped(typeof(IPipelineBehavior<,>), typeof(ValidationBehavior<,>));
        return services;
    }
}
