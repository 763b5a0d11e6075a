package io.aimstore.client;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.source.doctree.DocCommentTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.DocTrees;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.lang.model.element.Modifier;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The client's public types (package {@code io.aimstore.client}, not {@code impl}) are what
 * applications code against: they carry no gRPC classes, and every public type and member says its
 * contract in javadoc.
 */
class PublicApiTest {
  private static final Path SOURCES = Path.of("src/main/java/io/aimstore/client");

  @Test
  void publicTypesAreFreeOfGrpc() {
    JavaClasses classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.aimstore.client");
    noClasses()
        .that()
        .resideInAPackage("io.aimstore.client")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.grpc..")
        .orShould()
        .dependOnClassesThat()
        .haveSimpleNameEndingWith("Grpc")
        .because("applications must not need gRPC to use the client (impl/ holds the transport)")
        .check(classes);
  }

  @Test
  void everyPublicTypeAndMemberHasJavadoc() throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    List<String> missing = new ArrayList<>();
    try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, null);
        Stream<Path> list = Files.list(SOURCES)) {
      List<Path> sources = list.filter(p -> p.toString().endsWith(".java")).sorted().toList();
      assertThat(sources).isNotEmpty();
      Iterable<? extends JavaFileObject> units = files.getJavaFileObjectsFromPaths(sources);
      JavacTask task = (JavacTask) javac.getTask(null, files, null, null, null, units);
      DocTrees docs = DocTrees.instance(task);
      for (CompilationUnitTree unit : task.parse()) {
        new TreePathScanner<Void, Void>() {
          @Override
          public Void visitClass(ClassTree c, Void v) {
            if (isApi(c.getModifiers().getFlags(), getCurrentPath())) {
              check(c.getSimpleName().toString(), getCurrentPath());
            }
            return super.visitClass(c, v);
          }

          @Override
          public Void visitMethod(MethodTree m, Void v) {
            boolean overrides =
                m.getModifiers().getAnnotations().stream()
                    .anyMatch(a -> a.getAnnotationType().toString().equals("Override"));
            if (!overrides && isApi(m.getModifiers().getFlags(), getCurrentPath())) {
              check(enclosing(getCurrentPath()) + "." + m.getName(), getCurrentPath());
            }
            return null; // not into method bodies
          }

          @Override
          public Void visitVariable(VariableTree f, Void v) {
            if (getCurrentPath().getParentPath().getLeaf() instanceof ClassTree owner
                && owner.getKind() != Tree.Kind.RECORD
                && owner.getKind() != Tree.Kind.ENUM
                && f.getModifiers().getFlags().contains(Modifier.PUBLIC)) {
              check(enclosing(getCurrentPath()) + "." + f.getName(), getCurrentPath());
            }
            return null;
          }

          private void check(String what, TreePath path) {
            DocCommentTree doc = docs.getDocCommentTree(path);
            if (doc == null || doc.getFullBody().isEmpty() && doc.getBlockTags().isEmpty()) {
              missing.add(unit.getSourceFile().getName() + ": " + what);
            }
          }
        }.scan(unit, null);
      }
    }
    assertThat(missing).as("public client API without javadoc").isEmpty();
  }

  /** Public, or a member of an interface (implicitly public), inside a public type. */
  private static boolean isApi(java.util.Set<Modifier> flags, TreePath path) {
    if (flags.contains(Modifier.PRIVATE)) {
      return false;
    }
    Tree parent = path.getParentPath().getLeaf();
    boolean inInterface =
        parent instanceof ClassTree c
            && (c.getKind() == Tree.Kind.INTERFACE || c.getKind() == Tree.Kind.ANNOTATION_TYPE);
    return flags.contains(Modifier.PUBLIC) || inInterface;
  }

  private static String enclosing(TreePath path) {
    for (TreePath p = path.getParentPath(); p != null; p = p.getParentPath()) {
      if (p.getLeaf() instanceof ClassTree c) {
        return c.getSimpleName().toString();
      }
    }
    return "?";
  }
}
