-- The PostGIS idiom for `landwatch overlap --within 500`: every plot and parcel within 500 m
-- (index-assisted ST_DWithin in EPSG:4527 metres), with the overlap area and the distance.
SELECT c.fid AS plot, s.fid AS parcel,
       round(ST_Area(ST_Intersection(c.geom, s.geom))::numeric, 2) AS overlap_m2,
       round(ST_Distance(c.geom, s.geom)::numeric, 2) AS distance_m
FROM plots c
JOIN parcels s ON ST_DWithin(c.geom, s.geom, 500)
ORDER BY 1, 2;
