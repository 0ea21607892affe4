package io.calsync.e2e;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RestController;

/**
 * The house's rules ({@code docs/architecture.md}) over the main classes of every module: a wrong import fails the
 * build instead of a review.
 */
class ArchitectureTest {

    /** Each service and the packages that are its own. */
    static final Map<String, String[]> SERVICES = Map.of(
            "gateway-service", new String[] {"io.calsync.gateway.."},
            "oauth-service", new String[] {"io.calsync.oauth.."},
            "webhook-ingest-service", new String[] {"io.calsync.ingest..", "io.calsync.webhook.."},
            "sync-service", new String[] {"io.calsync.sync.."},
            "ics-poller-service", new String[] {"io.calsync.poller.."},
            "provider-sandbox", new String[] {"io.calsync.sandbox.."});

    static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("io.calsync");
    }

    @Test
    void everyModuleIsThere() {
        for (String pkg : List.of(
                "io.calsync.gateway",
                "io.calsync.oauth",
                "io.calsync.ingest",
                "io.calsync.sync",
                "io.calsync.poller",
                "io.calsync.sandbox",
                "io.calsync.providers",
                "io.calsync.platform",
                "io.calsync.model")) {
            if (classes.stream().noneMatch(c -> c.getPackageName().startsWith(pkg))) {
                throw new AssertionError("no classes of " + pkg + " imported: the rules would prove nothing");
            }
        }
    }

    @Test
    void noServiceDependsOnAnother() {
        SERVICES.forEach((service, own) -> {
            List<String> others = new ArrayList<>();
            SERVICES.forEach((other, packages) -> {
                if (!other.equals(service)) {
                    others.addAll(List.of(packages));
                }
            });
            noClasses()
                    .that()
                    .resideInAnyPackage(own)
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage(others.toArray(String[]::new))
                    .as(service + " depends on no other service")
                    .check(classes);
        });
    }

    @Test
    void theSharedModulesDependOnNoService() {
        String[] services =
                SERVICES.values().stream().flatMap(java.util.Arrays::stream).toArray(String[]::new);
        noClasses()
                .that()
                .resideInAPackage("io.calsync.model..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(concat(services, "io.calsync.platform..", "io.calsync.providers.."))
                .as("common-model depends on no other module of ours")
                .check(classes);
        noClasses()
                .that()
                .resideInAPackage("io.calsync.platform..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(concat(services, "io.calsync.providers.."))
                .as("platform depends on common-model only")
                .check(classes);
        noClasses()
                .that()
                .resideInAPackage("io.calsync.providers..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(concat(services, "io.calsync.platform.."))
                .as("providers depends on no service and not on platform")
                .check(classes);
    }

    @Test
    void providerAdaptersDoNotReachIntoEachOther() {
        slices().matching("io.calsync.providers.(google|microsoft|ics|caldav)..")
                .should()
                .notDependOnEachOther()
                .as("provider adapters share only port, oauth, http and ical (the iCalendar format)")
                .check(classes);
    }

    @Test
    void webAndKafkaEdgesUseTheUseCasesNotPersistence() {
        DescribedPredicate<JavaClass> edges = DescribedPredicate.describe(
                "web controllers and Kafka listeners",
                c -> c.isAnnotatedWith(RestController.class)
                        || c.isAnnotatedWith(Controller.class)
                        || c.getMethods().stream().anyMatch(m -> m.isAnnotatedWith(KafkaListener.class)));
        noClasses()
                .that(edges)
                .should()
                .dependOnClassesThat()
                .areAssignableTo(org.springframework.data.repository.Repository.class)
                .orShould()
                .dependOnClassesThat()
                .areAssignableTo(JdbcTemplate.class)
                .orShould()
                .dependOnClassesThat()
                .areAssignableTo(NamedParameterJdbcTemplate.class)
                .as("web and Kafka edges touch no repository and no JdbcTemplate")
                .check(classes);
    }

    @Test
    void useCasesAndPersistenceNeverReachBackIntoTheWebEdge() {
        noClasses()
                .that()
                .resideInAnyPackage("io.calsync..application..", "io.calsync..persistence..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.calsync..web..")
                .as("use cases and persistence depend on no web class (the edge calls in, never the other way)")
                .check(classes);
    }

    private static String[] concat(String[] a, String... b) {
        List<String> all = new ArrayList<>(List.of(a));
        all.addAll(List.of(b));
        return all.toArray(String[]::new);
    }
}
