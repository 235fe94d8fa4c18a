using VoiceAnalytics.AppHost.Model;

namespace VoiceAnalytics.AppHost.Hosting;

/// <summary>References, waits and environment: the edges of the wiring diagram, with Aspire's variable names.</summary>
public static class ResourceBuilderExtensions
{
    /// <summary>Passes <c>ConnectionStrings__&lt;name&gt;</c>.</summary>
    public static IResourceBuilder<T> WithReference<T>(this IResourceBuilder<T> builder, IResourceBuilder<IResourceWithConnectionString> source)
        where T : Resource
    {
        var target = source.Resource;
        builder.Resource.EnvironmentCallbacks.Add(context =>
            context.Variables[$"ConnectionStrings__{target.Name}"] = target.GetConnectionString());
        return builder;
    }

    /// <summary>Passes <c>services__&lt;name&gt;__&lt;endpoint&gt;__0</c> for every endpoint of the service (service discovery).</summary>
    public static IResourceBuilder<T> WithReference<T>(this IResourceBuilder<T> builder, IResourceBuilder<ProjectResource> service)
        where T : Resource
    {
        var target = service.Resource;
        builder.Resource.EnvironmentCallbacks.Add(context =>
        {
            foreach (var endpoint in target.Endpoints)
            {
                context.Variables[$"services__{target.Name}__{endpoint.Name}__0"] = endpoint.Url.ToString().TrimEnd('/');
            }
        });
        return builder;
    }

    /// <summary>Starts this resource only once <paramref name="dependency"/> is healthy.</summary>
    public static IResourceBuilder<T> WaitFor<T>(this IResourceBuilder<T> builder, IResourceBuilder<Resource> dependency)
        where T : Resource
    {
        if (!builder.Resource.WaitsFor.Contains(dependency.Resource))
        {
            builder.Resource.WaitsFor.Add(dependency.Resource);
        }
        return builder;
    }

    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, string? value)
        where T : Resource
    {
        builder.Resource.EnvironmentCallbacks.Add(context => context.Variables[name] = value);
        return builder;
    }

    /// <summary>Passes a parameter's value; an unset parameter passes nothing, so the service keeps its default.</summary>
    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, IResourceBuilder<ParameterResource> parameter)
        where T : Resource
    {
        var source = parameter.Resource;
        builder.Resource.EnvironmentCallbacks.Add(context =>
        {
            if (source.Value is not null)
            {
                context.Variables[name] = source.Value;
            }
        });
        return builder;
    }
}
