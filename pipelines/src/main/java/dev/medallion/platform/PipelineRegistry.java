package dev.medallion.platform;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Every registered pipeline: the definitions named in {@code
 * META-INF/services/dev.medallion.platform.PipelineDefinition} on the class path.
 */
public final class PipelineRegistry {
  private final List<PipelineDefinition<?>> definitions;

  private PipelineRegistry(List<PipelineDefinition<?>> definitions) {
    this.definitions = List.copyOf(definitions);
  }

  @SuppressWarnings({"rawtypes", "unchecked"})
  public static PipelineRegistry load() {
    List<PipelineDefinition<?>> found = new ArrayList<>();
    for (PipelineDefinition definition :
        ServiceLoader.load(PipelineDefinition.class, PipelineRegistry.class.getClassLoader())) {
      if (!definition.name().matches("[a-z][a-z0-9_]*")) {
        throw new IllegalStateException(
            definition.getClass().getName()
                + " is named '"
                + definition.name()
                + "': use lower-case letters, digits and underscores");
      }
      if (found.stream().anyMatch(d -> d.name().equals(definition.name()))) {
        throw new IllegalStateException("Two pipelines are named " + definition.name());
      }
      found.add(definition);
    }
    found.sort(Comparator.comparing(PipelineDefinition::name));
    return new PipelineRegistry(found);
  }

  public List<PipelineDefinition<?>> all() {
    return definitions;
  }

  public Optional<PipelineDefinition<?>> find(String name) {
    return definitions.stream().filter(d -> d.name().equals(name)).findFirst();
  }

  public PipelineDefinition<?> get(String name) {
    return find(name)
        .orElseThrow(
            () ->
                new UsageError(
                    "Unknown pipeline '"
                        + name
                        + "': use one of "
                        + String.join(
                            ", ", definitions.stream().map(PipelineDefinition::name).toList())
                        + " (see: medallion pipelines)"));
  }
}
